// The next thing a unit's agent does, decided as Juju 3.6's uniter resolver decides it
// (internal/worker/uniter/resolver.go NextOp and nextOp, leadership/resolver.go,
// relation/resolver.go, actions/resolver.go): by comparing what the unit has recorded of its own
// progress with what the model holds now. Storage, secrets, charm upgrades and update-status are
// not simulated. NextOp asks, in order: created relations, leadership, (secrets), actions, then
// the queued or failed hook, then nextOp (install, config-changed, relation hooks); an action
// that `juju run` has queued therefore jumps every hook but the first two kinds.
import { configHash, getApp, isLeader } from "./model.ts";
import { nextCreatedHook, nextRelationHook, synchronizeScopes } from "./relation-resolver.ts";
import type { Application, HookRequest, State, Unit } from "./state.ts";

export type Operation =
  | { kind: "run-hook"; hook: HookRequest }
  | { kind: "accept-leadership" }
  | { kind: "resign-leadership" }
  /** A dying unit with nothing left to run: the agent terminates and the unit goes. */
  | { kind: "dead" };

const run = (hook: HookRequest): Operation => ({ kind: "run-hook", hook });

/**
 * The unit's next operation, or null when it has nothing to do (or waits for its failed hook to
 * be resolved). May enter relation scopes on the way, as the resolvers do; call it inside
 * updateState so that this is kept.
 */
export function nextOperation(state: State, unit: string, random: () => number): Operation | null {
  const record = state.units[unit];
  if (!record) return null;
  const app = getApp(state, record.app);
  return aboveActions(state, record, app, random) ?? belowActions(state, record, app, random);
}

/**
 * What the unit does before it takes an action `juju run` has queued for it, or null when it
 * would take the action now. The actions resolver runs an action only while the unit's operation
 * state is Continue, or a hook error (RunHook Pending): a queued hook (install, the start that
 * follows the first config-changed, leader-elected, a killed hook) runs first.
 */
export function nextOperationBeforeAction(
  state: State,
  unit: string,
  random: () => number,
): Operation | null {
  const record = state.units[unit];
  if (!record) return null;
  const app = getApp(state, record.app);
  const above = aboveActions(state, record, app, random);
  if (above) return above;
  const queued = record.queuedHook !== null || (!record.installed && !record.started);
  return record.failedHook === null && queued ? belowActions(state, record, app, random) : null;
}

/** The created-relations and leadership resolvers, which NextOp asks before the actions one. */
function aboveActions(
  state: State,
  record: Unit,
  app: Application,
  random: () => number,
): Operation | null {
  if (!record.installed) return null;
  // operation.Continue: no hook queued and none failed.
  const idle = record.failedHook === null && record.queuedHook === null;
  const alive = !record.dying;
  if (alive && idle) {
    synchronizeScopes(state, record.name);
    const created = nextCreatedHook(state, record.name, random);
    if (created) return run(created);
  }
  const leader = isLeader(state, record.name);
  // Leadership is accepted only by an idle unit; it is resigned in any state.
  if (leader && !record.leader && alive && idle) return { kind: "accept-leadership" };
  if (record.leader && (!leader || !alive)) return { kind: "resign-leadership" };
  if (idle && alive && !record.leader) {
    if (record.leaderSettingsVersion !== app.leaderSettingsVersion) {
      return run({ hook: "leader-settings-changed", spec: {} });
    }
  }
  return null;
}

/** The queued or failed hook, then nextOp. */
function belowActions(
  state: State,
  record: Unit,
  app: Application,
  random: () => number,
): Operation | null {
  const unit = record.name;
  // A failed hook waits for `juju resolve` or the retry timer (sequencer.ts).
  if (record.failedHook) return null;
  if (record.queuedHook) return run(record.queuedHook);

  if (record.dying) {
    // "if we're dying we must ensure that all relations are broken first"
    const relationHook = nextRelationHook(state, unit, random);
    if (relationHook) return run(relationHook);
    if (record.started && !record.stopped) return run({ hook: "stop", spec: {} });
    if (record.installed) return run({ hook: "remove", spec: {} });
    return { kind: "dead" };
  }
  if (!record.installed && !record.started) return run({ hook: "install", spec: {} });
  if (record.configHash !== configHash(app)) return run({ hook: "config-changed", spec: {} });
  const relationHook = nextRelationHook(state, unit, random);
  return relationHook ? run(relationHook) : null;
}

/** A short name of an operation, for messages. */
export function describeOperation(unit: string, op: Operation): string {
  return op.kind === "run-hook"
    ? `${unit} ${op.hook.hook}${op.hook.spec.remoteUnit ? ` (${op.hook.spec.remoteUnit})` : ""}`
    : `${unit} ${op.kind}`;
}
