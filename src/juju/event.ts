import * as z from "zod/mini";
import { EnvironmentError } from "./errors.ts";

export const RELATION_HOOK_KINDS = ["created", "joined", "changed", "departed", "broken"] as const;
export type RelationHookKind = (typeof RELATION_HOOK_KINDS)[number];

export const UNIT_HOOK_NAMES = [
  "install",
  "start",
  "stop",
  "remove",
  "upgrade-charm",
  "config-changed",
  "leader-elected",
  "leader-settings-changed",
  "update-status",
  "pre-series-upgrade",
  "post-series-upgrade",
  "collect-metrics",
  "meter-status-changed",
] as const;
export type UnitHookName = (typeof UNIT_HOOK_NAMES)[number];

interface EventBase {
  /** The name Juju dispatched: the hook name, or the action name for actions. */
  readonly name: string;
  readonly unitName: string;
  readonly appName: string;
  readonly modelName: string;
  readonly modelUuid: string;
  readonly charmDir: string;
  readonly contextId: string;
  readonly jujuVersion: string;
}

export interface UnitHookEvent extends EventBase {
  readonly kind: "hook";
  readonly name: UnitHookName;
}

export interface RelationEvent extends EventBase {
  readonly kind: "relation";
  readonly endpoint: string;
  readonly relationKind: RelationHookKind;
  readonly relationId: number;
  readonly remoteApp: string;
  /** Empty for -created, -broken, and -changed fired by a remote application databag write. */
  readonly remoteUnit: string | undefined;
  /** Only for -departed: the unit that is leaving, which may be this unit. */
  readonly departingUnit: string | undefined;
}

export interface ActionEvent extends EventBase {
  readonly kind: "action";
  readonly actionId: string;
}

/** Secret, storage and workload hooks: routed by name, with no typed fields yet. */
export interface OtherHookEvent extends EventBase {
  readonly kind: "other";
}

export type JujuEvent = UnitHookEvent | RelationEvent | ActionEvent | OtherHookEvent;

const nonEmpty = z.string().check(z.minLength(1));
const environmentSchema = z.object({
  JUJU_DISPATCH_PATH: nonEmpty,
  JUJU_UNIT_NAME: nonEmpty.check(z.regex(/^[a-z][a-z0-9-]*\/\d+$/, "must look like app/0")),
  JUJU_MODEL_NAME: z.optional(z.string()),
  JUJU_MODEL_UUID: z.optional(z.string()),
  JUJU_CHARM_DIR: z.optional(z.string()),
  JUJU_CONTEXT_ID: z.optional(z.string()),
  JUJU_VERSION: z.optional(z.string()),
  JUJU_RELATION: z.optional(z.string()),
  JUJU_RELATION_ID: z.optional(z.string()),
  JUJU_REMOTE_APP: z.optional(z.string()),
  JUJU_REMOTE_UNIT: z.optional(z.string()),
  JUJU_DEPARTING_UNIT: z.optional(z.string()),
  JUJU_ACTION_NAME: z.optional(z.string()),
  JUJU_ACTION_UUID: z.optional(z.string()),
});

const relationHookPattern = new RegExp(`^(.+)-relation-(${RELATION_HOOK_KINDS.join("|")})$`);

/** Reads the event Juju is dispatching from the environment it built for this process. */
export function eventFromEnvironment(env: NodeJS.ProcessEnv): JujuEvent {
  const parsed = z.safeParse(environmentSchema, env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new EnvironmentError(`not a Juju hook environment (${problems.join("; ")})`);
  }
  const vars = parsed.data;
  const [location, ...rest] = vars.JUJU_DISPATCH_PATH.split("/").slice(-2);
  const name = rest.length > 0 ? (rest[0] ?? "") : (location ?? "");
  const base: EventBase = {
    name,
    unitName: vars.JUJU_UNIT_NAME,
    appName: vars.JUJU_UNIT_NAME.split("/")[0] ?? "",
    modelName: vars.JUJU_MODEL_NAME ?? "",
    modelUuid: vars.JUJU_MODEL_UUID ?? "",
    charmDir: vars.JUJU_CHARM_DIR ?? process.cwd(),
    contextId: vars.JUJU_CONTEXT_ID ?? "",
    jujuVersion: vars.JUJU_VERSION ?? "0.0.0",
  };

  if (location === "actions" && rest.length > 0) {
    return { ...base, kind: "action", actionId: vars.JUJU_ACTION_UUID ?? "" };
  }
  const relationMatch = relationHookPattern.exec(name);
  if (relationMatch) {
    return relationEvent(base, relationMatch[1] ?? "", relationMatch[2] as RelationHookKind, vars);
  }
  if ((UNIT_HOOK_NAMES as readonly string[]).includes(name)) {
    return { ...base, kind: "hook", name: name as UnitHookName };
  }
  return { ...base, kind: "other" };
}

function relationEvent(
  base: EventBase,
  endpoint: string,
  relationKind: RelationHookKind,
  vars: z.infer<typeof environmentSchema>,
): RelationEvent {
  const rawId = vars.JUJU_RELATION_ID ?? "";
  // Juju sends "<endpoint>:<id>"; ops and Juju itself use what follows the last colon.
  const relationId = Number(rawId.slice(rawId.lastIndexOf(":") + 1));
  if (rawId === "" || !Number.isInteger(relationId) || relationId < 0) {
    throw new EnvironmentError(
      `relation hook ${base.name} has no usable JUJU_RELATION_ID ("${rawId}")`,
    );
  }
  return {
    ...base,
    kind: "relation",
    endpoint: vars.JUJU_RELATION || endpoint,
    relationKind,
    relationId,
    remoteApp: vars.JUJU_REMOTE_APP ?? "",
    remoteUnit: vars.JUJU_REMOTE_UNIT || undefined,
    departingUnit: vars.JUJU_DEPARTING_UNIT || undefined,
  };
}
