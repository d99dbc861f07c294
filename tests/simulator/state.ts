// The simulated model, kept in <simDir>/state.json so that the hook-tool processes and the
// simulator share it (state-store.ts reads and writes it under a lock). The simulator checks
// the file against this schema every time it reads it.
import { z } from "zod";
import {
  readState as readStoredState,
  updateState as updateStoredState,
  writeState,
  type StateParser,
} from "./state-store.ts";

const Bag = z.record(z.string(), z.string());

export const StatusSchema = z.object({
  status: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type Status = z.infer<typeof StatusSchema>;

export const EndpointSchema = z.object({
  role: z.enum(["provides", "requires", "peers"]),
  interface: z.string(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

export const ConfigOptionSchema = z.object({
  type: z.string(),
  default: z.unknown().optional(),
  description: z.string().optional(),
});
export type ConfigOption = z.infer<typeof ConfigOptionSchema>;

export const ApplicationSchema = z.object({
  name: z.string(),
  charmDir: z.string(),
  agentCharmDir: z.string().optional(),
  endpoints: z.record(z.string(), EndpointSchema),
  actions: z.record(z.string(), z.record(z.string(), z.unknown())),
  options: z.record(z.string(), ConfigOptionSchema),
  config: z.record(z.string(), z.unknown()),
  leader: z.string().nullable(),
  status: StatusSchema,
  version: z.string(),
  nextUnit: z.number().int(),
  leaderSettings: Bag,
});
export type Application = z.infer<typeof ApplicationSchema>;

export const LogLineSchema = z.object({ level: z.string(), message: z.string() });
export type LogLine = z.infer<typeof LogLineSchema>;

/** A hook as the uniter knows it: its name and the relation context it runs in. */
export const HookRequestSchema = z.object({
  hook: z.string(),
  spec: z.object({
    relationId: z.number().int().optional(),
    remoteUnit: z.string().optional(),
    remoteApp: z.string().optional(),
    departingUnit: z.string().optional(),
  }),
});
export type HookRequest = z.infer<typeof HookRequestSchema>;

/** The automatic retry of a failed hook: when it is due, and the back-off after that one. */
export const HookRetrySchema = z.object({ at: z.number(), nextDelayMs: z.number() });
export type HookRetry = z.infer<typeof HookRetrySchema>;

export const UnitSchema = z.object({
  name: z.string(),
  app: z.string(),
  machine: z.string(),
  address: z.string(),
  workload: StatusSchema,
  agent: StatusSchema,
  history: z.array(StatusSchema),
  logs: z.array(LogLineSchema),
  installed: z.boolean(),
  started: z.boolean(),
  dying: z.boolean(),
  /** The hook that failed; the unit runs no other hook until it is retried or skipped. */
  failedHook: HookRequestSchema.nullable().default(null),
  /** Hooks that became due while the unit was in error, in the order they did. */
  owed: z.array(HookRequestSchema).default([]),
  retry: HookRetrySchema.nullable().default(null),
});
export type Unit = z.infer<typeof UnitSchema>;

/** What one local unit has seen of a relation: its own hooks move these lists. */
export const RelationViewSchema = z.object({
  joined: z.array(z.string()),
  departed: z.array(z.string()),
  broken: z.boolean(),
});
export type RelationView = z.infer<typeof RelationViewSchema>;

export const RelationEndSchema = z.object({ app: z.string(), endpoint: z.string() });
export type RelationEnd = z.infer<typeof RelationEndSchema>;

export const RelationSchema = z.object({
  id: z.number().int(),
  interface: z.string(),
  peer: z.boolean(),
  ends: z.tuple([RelationEndSchema, RelationEndSchema]),
  unitData: z.record(z.string(), Bag),
  appData: z.record(z.string(), Bag),
  views: z.record(z.string(), RelationViewSchema),
  /** Removed by the operator; it goes once every unit has run its -broken. */
  dying: z.boolean().default(false),
});
export type Relation = z.infer<typeof RelationSchema>;

export const TaskSchema = z.object({
  id: z.number().int(),
  unit: z.string(),
  name: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(["pending", "running", "completed", "failed"]),
  failed: z.boolean(),
  message: z.string(),
  results: z.record(z.string(), z.unknown()),
  logs: z.array(z.string()),
});
export type Task = z.infer<typeof TaskSchema>;

/** Pending relation-set writes of one relation; "" marks a key to delete at commit. */
export const PendingWritesSchema = z.object({ unit: Bag, app: Bag });
export type PendingWrites = z.infer<typeof PendingWritesSchema>;

export const HookContextSchema = z.object({
  id: z.string(),
  unit: z.string(),
  kind: z.enum(["hook", "action"]),
  name: z.string(),
  relationId: z.number().int().nullable(),
  remoteUnit: z.string(),
  remoteApp: z.string(),
  departingUnit: z.string(),
  taskId: z.number().int().nullable(),
  pending: z.record(z.string(), PendingWritesSchema),
  leaderSettingsChanged: z.boolean(),
  toolCalls: z.array(z.array(z.string())),
});
export type HookContext = z.infer<typeof HookContextSchema>;

export const FaultSchema = z.object({
  tool: z.string(),
  argsContains: z.string().optional(),
  times: z.number().int(),
  exitCode: z.number().int(),
  stderr: z.string(),
});
export type Fault = z.infer<typeof FaultSchema>;

/** One hook or action that ran, in the order they ran. */
export const HookLogEntrySchema = HookContextSchema.pick({
  unit: true,
  kind: true,
  name: true,
  relationId: true,
  remoteUnit: true,
  remoteApp: true,
  departingUnit: true,
}).extend({ exitCode: z.number().int() });
export type HookLogEntry = z.infer<typeof HookLogEntrySchema>;

export const StateSchema = z.object({
  model: z.object({ name: z.string(), uuid: z.string() }),
  nextRelationId: z.number().int(),
  nextOperationId: z.number().int(),
  nextMachine: z.number().int(),
  applications: z.record(z.string(), ApplicationSchema),
  units: z.record(z.string(), UnitSchema),
  relations: z.array(RelationSchema),
  tasks: z.array(TaskSchema),
  contexts: z.record(z.string(), HookContextSchema),
  faults: z.array(FaultSchema),
  hookLog: z.array(HookLogEntrySchema),
  /** Virtual milliseconds; only advanceTime() moves it, so no test waits for a retry. */
  clock: z.number().default(0),
  automaticallyRetryHooks: z.boolean().default(true),
});
export type State = z.infer<typeof StateSchema>;

export function emptyState(modelName: string, uuid: string): State {
  return {
    model: { name: modelName, uuid },
    nextRelationId: 0,
    nextOperationId: 1,
    nextMachine: 0,
    applications: {},
    units: {},
    relations: [],
    tasks: [],
    contexts: {},
    faults: [],
    hookLog: [],
    clock: 0,
    automaticallyRetryHooks: true,
  };
}

const parseState: StateParser = (raw) => StateSchema.parse(raw);

export function readState(dir: string): State {
  return readStoredState(dir, parseState);
}

export function updateState<T>(dir: string, fn: (state: State) => T): T {
  return updateStoredState(dir, fn, parseState);
}

export { writeState };
