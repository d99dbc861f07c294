// The simulated model, held by the process that drives it and kept in <simDir>/state.json
// between processes (state-store.ts). The simulator checks what it writes and what it loads
// from the file against this schema.
import { z } from "zod";
import {
  readState as readStoredState,
  updateState as updateStoredState,
  writeState as writeStoredState,
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
  endpoints: z.record(z.string(), EndpointSchema),
  actions: z.record(z.string(), z.record(z.string(), z.unknown())),
  options: z.record(z.string(), ConfigOptionSchema),
  config: z.record(z.string(), z.unknown()),
  leader: z.string().nullable(),
  status: StatusSchema,
  version: z.string(),
  nextUnit: z.number().int(),
  leaderSettings: Bag,
  /**
   * Bumped whenever leader-set changes leaderSettings. It starts at 1 because the agent's
   * watcher reports the settings once when it starts, so a new follower runs one
   * leader-settings-changed (internal/worker/uniter/remotestate/watcher.go).
   */
  leaderSettingsVersion: z.number().int().default(1),
  /**
   * The leader's unit is gone and its lease not yet expired: nobody may claim it before the next
   * settle step (leadership.ts).
   */
  leaseExpiring: z.boolean().default(false),
});
export type Application = z.infer<typeof ApplicationSchema>;

export const LogLineSchema = z.object({ level: z.string(), message: z.string() });
export type LogLine = z.infer<typeof LogLineSchema>;

/**
 * A hook as the uniter knows it (hook.Info): its name, the relation context it runs in, and the
 * settings version of the remote bag it answers, which the unit records once it has run.
 * `scripted` marks a hook a test ran by hand: it records nothing even once retried.
 */
export const HookRequestSchema = z.object({
  hook: z.string(),
  spec: z.object({
    relationId: z.number().int().optional(),
    remoteUnit: z.string().optional(),
    remoteApp: z.string().optional(),
    departingUnit: z.string().optional(),
  }),
  changeVersion: z.number().int().optional(),
  scripted: z.boolean().optional(),
});
export type HookRequest = z.infer<typeof HookRequestSchema>;

/** The automatic retry of a failed hook: when it is due, and the back-off after that one. */
export const HookRetrySchema = z.object({ at: z.number(), nextDelayMs: z.number() });
export type HookRetry = z.infer<typeof HookRetrySchema>;

/**
 * A unit: what the model holds of it (status, address, life) and what its agent keeps of its own
 * progress (operation.State: installed, started, leader, the hashes and versions it last ran
 * hooks for, the hook it failed or queued). The resolver compares the second with the model.
 */
export const UnitSchema = z.object({
  name: z.string(),
  app: z.string(),
  machine: z.string(),
  address: z.string(),
  /** Where the agent unpacked the charm (agent-path.ts deployCharmDir). */
  charmDir: z.string().optional(),
  workload: StatusSchema,
  agent: StatusSchema,
  history: z.array(StatusSchema),
  logs: z.array(LogLineSchema),
  installed: z.boolean(),
  started: z.boolean(),
  stopped: z.boolean().default(false),
  dying: z.boolean(),
  /** The agent has accepted leadership (queued leader-elected) and not resigned it since. */
  leader: z.boolean().default(false),
  leaderSettingsVersion: z.number().int().default(0),
  /** The config hash the last config-changed ran for; "" before the first. */
  configHash: z.string().default(""),
  /** The charm has set the unit's status in a hook that completed (operation.State.StatusSet). */
  statusSet: z.boolean().default(false),
  /** The hook that failed; the unit runs no other hook until it is retried or skipped. */
  failedHook: HookRequestSchema.nullable().default(null),
  /** A hook the agent must run next (start after config-changed, leader-elected, a killed hook). */
  queuedHook: HookRequestSchema.nullable().default(null),
  retry: HookRetrySchema.nullable().default(null),
  /**
   * The unit's charm state as the controller holds it (state-get, state-set, state-delete);
   * absent when empty. Gone with the unit, as its unitstates document is.
   */
  charmState: Bag.optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

/**
 * One unit's own record of a relation it has entered the scope of (relation/state.go): the
 * settings version it last ran a hook for, per remote unit it has joined and per remote
 * application, and the unit whose -changed must follow its -joined.
 */
export const RelationViewSchema = z.object({
  created: z.boolean(),
  members: z.record(z.string(), z.number().int()),
  appMembers: z.record(z.string(), z.number().int()),
  changedPending: z.string().nullable(),
  /**
   * The agent's cache of its members' settings (runner/context/cache.go RelationCache): a member
   * is here from the first time a hook or action read it until its own -joined or -changed
   * runs, it departs, or it stops being a member. Held in the agent's memory in Juju, so a hook
   * that fails keeps what it cached; kept here with the record it lives as long as.
   */
  settingsCache: z.record(z.string(), Bag).optional(),
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
  /** The units in the relation's scope, each with its own record of it. */
  views: z.record(z.string(), RelationViewSchema),
  /** Settings version of each unit's and application's bag, bumped by every change. */
  versions: z.record(z.string(), z.number().int()).default({}),
  /** Removed by the operator; it goes once every unit in its scope has left it. */
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
  /** The charm ran status-set for its unit (HookContext.HasExecutionSetUnitStatus). */
  unitStatusSet: z.boolean().default(false),
  /**
   * The unit's charm state as this context sees it: null until the first state-* call loads it,
   * then that copy with the context's own changes (HookContext.cachedCharmState).
   */
  charmState: Bag.nullable().default(null),
  /** A state-set or state-delete changed charmState (HookContext.charmStateCacheDirty). */
  charmStateDirty: z.boolean().default(false),
  /** A leadership check in this context said no, so every later one does (leadership.ts). */
  notLeader: z.boolean().optional(),
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

/**
 * Once a unit of app has made a call of tool (whose joined args contain argsContains), the lease
 * passes to `to`, or with null to nobody until the next settle step.
 */
export const LeadershipMoveSchema = z.object({
  app: z.string(),
  tool: z.string(),
  argsContains: z.string().optional(),
  to: z.string().nullable(),
});
export type LeadershipMove = z.infer<typeof LeadershipMoveSchema>;

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
  /** The last workload statuses of units that have been removed, so tests can still read them. */
  removedUnits: z.record(z.string(), z.array(StatusSchema)).default({}),
  /** Virtual milliseconds; only advanceTime() moves it, so no test waits for a retry. */
  clock: z.number().default(0),
  automaticallyRetryHooks: z.boolean().default(true),
  /** Leadership moves a test asked for in the middle of a hook (leadership.ts). */
  leadershipMoves: z.array(LeadershipMoveSchema).default([]),
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
    removedUnits: {},
    clock: 0,
    automaticallyRetryHooks: true,
    leadershipMoves: [],
  };
}

const parseState: StateParser = (raw) => StateSchema.parse(raw);

export function readState(dir: string): State {
  return readStoredState(dir, parseState);
}

export function updateState<T>(dir: string, fn: (state: State) => T): T {
  return updateStoredState(dir, fn, parseState);
}

/** Replaces the whole state, checked against the schema (its defaults filled in). */
export function writeState(dir: string, state: State): void {
  writeStoredState(dir, StateSchema.parse(state));
}
