// The next thing a unit's agent does, decided as Juju 3.6's uniter resolver decides it
// (internal/worker/uniter/resolver.go NextOp and nextOp, leadership/resolver.go,
// relation/resolver.go): by comparing what the unit has recorded of its own progress with what
// the model holds now. Storage, secrets, charm upgrades and update-status are not simulated;
// actions run when `juju run` asks (index.ts runAction), as the actions resolver would, because
// every other call leaves the model settled.
import { configHash, getApp, isLeader } from "./model.ts";
import { nextCreatedHook, nextRelationHook, synchronizeScopes } from "./relation-resolver.ts";
import type { HookRequest, State } from "./state.ts";

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
  // operation.Continue: no hook queued and none failed.
  const idle = record.failedHook === null && record.queuedHook === null;
  const alive = !record.dying;

  if (record.installed && alive && idle) {
    synchronizeScopes(state, unit);
    const created = nextCreatedHook(state, unit, random);
    if (created) return run(created);
  }

  if (record.installed) {
    const leader = isLeader(state, unit);
    // Leadership is accepted only by an idle unit; it is resigned in any state.
    if (leader && !record.leader && alive && idle) return { kind: "accept-leadership" };
    if (record.leader && (!leader || !alive)) return { kind: "resign-leadership" };
    if (idle && alive && !record.leader) {
      if (record.leaderSettingsVersion !== app.leaderSettingsVersion) {
        return run({ hook: "leader-settings-changed", spec: {} });
      }
    }
  }

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
