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

const UNIT_NAME = /^[a-z][a-z0-9-]*\/\d+$/;

// Environment values are strings by construction; only presence and form need checking, and
// doing it by hand keeps a hook with no work from loading a schema library.
function readEnvironment(env: NodeJS.ProcessEnv): {
  dispatchPath: string;
  unitName: string;
  get: (name: string) => string | undefined;
} {
  const problems: string[] = [];
  const dispatchPath = env["JUJU_DISPATCH_PATH"] ?? "";
  const unitName = env["JUJU_UNIT_NAME"] ?? "";
  if (dispatchPath === "") problems.push("JUJU_DISPATCH_PATH: missing");
  if (unitName === "") problems.push("JUJU_UNIT_NAME: missing");
  else if (!UNIT_NAME.test(unitName)) problems.push("JUJU_UNIT_NAME: must look like app/0");
  if (problems.length > 0) {
    throw new EnvironmentError(`not a Juju hook environment (${problems.join("; ")})`);
  }
  return { dispatchPath, unitName, get: (name) => env[name] };
}

const relationHookPattern = new RegExp(`^(.+)-relation-(${RELATION_HOOK_KINDS.join("|")})$`);

/** Reads the event Juju is dispatching from the environment it built for this process. */
export function eventFromEnvironment(env: NodeJS.ProcessEnv): JujuEvent {
  const vars = readEnvironment(env);
  const [location, ...rest] = vars.dispatchPath.split("/").slice(-2);
  const name = rest.length > 0 ? (rest[0] ?? "") : (location ?? "");
  const base: EventBase = {
    name,
    unitName: vars.unitName,
    appName: vars.unitName.split("/")[0] ?? "",
    modelName: vars.get("JUJU_MODEL_NAME") ?? "",
    modelUuid: vars.get("JUJU_MODEL_UUID") ?? "",
    charmDir: vars.get("JUJU_CHARM_DIR") ?? process.cwd(),
    contextId: vars.get("JUJU_CONTEXT_ID") ?? "",
    jujuVersion: vars.get("JUJU_VERSION") ?? "0.0.0",
  };

  if (location === "actions" && rest.length > 0) {
    return { ...base, kind: "action", actionId: vars.get("JUJU_ACTION_UUID") ?? "" };
  }
  const relationMatch = relationHookPattern.exec(name);
  if (relationMatch) {
    return relationEvent(
      base,
      relationMatch[1] ?? "",
      relationMatch[2] as RelationHookKind,
      vars.get,
    );
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
  get: (name: string) => string | undefined,
): RelationEvent {
  const rawId = get("JUJU_RELATION_ID") ?? "";
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
    endpoint: get("JUJU_RELATION") || endpoint,
    relationKind,
    relationId,
    remoteApp: get("JUJU_REMOTE_APP") ?? "",
    remoteUnit: get("JUJU_REMOTE_UNIT") || undefined,
    departingUnit: get("JUJU_DEPARTING_UNIT") || undefined,
  };
}
