// What the unit agent records around a hook: the workload statuses it sets itself, and what a
// hook's success, failure or death changes in its own state (operation/runhook.go beforeHook,
// Execute, afterHook and Commit; operation/skip.go commits a skipped hook as if it had run).
import { startRetry } from "./hook-retry.ts";
import { releaseLease } from "./leadership.ts";
import { appOf, configHash, getApp } from "./model.ts";
import { commitRelationHook, dropGoneRelations } from "./relation-resolver.ts";
import type { HookRequest, State, Status, Unit } from "./state.ts";

/** How a hook's process ended, as far as the agent cares. */
export interface HookEnd {
  /** Exit 0 (or no dispatch at all) and its changes committed. */
  succeeded: boolean;
  /** Killed by SIGTERM or SIGKILL: runner.go returns ErrTerminated. */
  terminated: boolean;
  /** The charm ran status-set for its unit during the hook. */
  unitStatusSet: boolean;
}

function setWorkload(unit: Unit, status: string, message: string): void {
  const next: Status = { status, message, data: {} };
  unit.workload = next;
  unit.history.push(next);
}

/** beforeHook: statuses the agent sets before running install, stop and remove. */
export function beforeHook(state: State, unit: string, hook: string): void {
  const record = state.units[unit];
  if (!record) return;
  if (hook === "install" && !record.statusSet) {
    setWorkload(record, "maintenance", "installing charm software");
  } else if (hook === "stop") {
    setWorkload(record, "maintenance", "stopping charm software");
  } else if (hook === "remove") {
    setWorkload(record, "maintenance", "cleaning up prior to charm deletion");
  }
}

/**
 * Records a hook's end. Success: afterHook's statuses, then Commit. Death by signal: the hook is
 * queued to run again and is no error. Failure: the unit is in error on that hook, and the
 * retry timer starts unless a retry under way has already set the next one.
 */
export function recordHookEnd(state: State, unit: string, hook: HookRequest, end: HookEnd): void {
  const record = state.units[unit];
  if (!record) return;
  if (end.terminated) {
    record.logs.push({ level: "WARNING", message: `hook "${hook.hook}" was terminated` });
    record.queuedHook = hook;
    return;
  }
  if (!end.succeeded) {
    record.agent = {
      status: "error",
      message: `hook failed: "${hook.hook}"`,
      data: failureData(hook),
    };
    record.failedHook = hook;
    record.queuedHook = null;
    if (record.retry === null && state.automaticallyRetryHooks) {
      record.retry = startRetry(state.clock);
    }
    return;
  }
  record.agent = { status: "idle", message: "", data: {} };
  record.failedHook = null;
  record.retry = null;
  if (!hook.scripted) afterHook(record, hook.hook, end.unitStatusSet);
  commitHook(state, unit, hook);
}

function failureData(hook: HookRequest): Record<string, unknown> {
  const data: Record<string, unknown> = { hook: hook.hook };
  if (hook.spec.relationId !== undefined) data["relation-id"] = hook.spec.relationId;
  if (hook.spec.remoteUnit) data["remote-unit"] = hook.spec.remoteUnit;
  return data;
}

/** afterHook: statuses the agent sets once stop, remove and start have run. */
function afterHook(record: Unit, hook: string, unitStatusSet: boolean): void {
  const statusSet = unitStatusSet || record.statusSet;
  if (hook === "stop") setWorkload(record, "maintenance", "");
  else if (hook === "remove") setWorkload(record, "terminated", "");
  else if (hook === "start" && !statusSet) setWorkload(record, "unknown", "");
  record.statusSet = statusSet;
}

/**
 * A hook committed without running: `juju resolve --no-retry` (operation/skip.go), or a
 * leader-elected whose unit is no longer leader (runhook.go Prepare, ErrSkipExecute).
 */
export function recordHookSkipped(state: State, unit: string, hook: HookRequest): void {
  const record = state.units[unit];
  if (!record) return;
  record.failedHook = null;
  record.retry = null;
  record.agent = { status: "idle", message: "", data: {} };
  commitHook(state, unit, hook);
}

/**
 * Commit: what the unit now knows it has done. Nothing for a hook a test ran by hand. A unit that
 * has not started gets start queued after config-changed.
 */
export function commitHook(state: State, unit: string, hook: HookRequest): void {
  const record = state.units[unit];
  if (!record) return;
  if (record.queuedHook && sameHook(record.queuedHook, hook)) record.queuedHook = null;
  if (hook.scripted) return;
  switch (hook.hook) {
    case "install":
      record.installed = true;
      return;
    case "start":
      record.started = true;
      record.stopped = false;
      return;
    case "stop":
      record.stopped = true;
      return;
    case "remove":
      removeUnit(state, unit);
      return;
    case "config-changed":
      record.configHash = configHash(getApp(state, record.app));
      if (!record.started) record.queuedHook = { hook: "start", spec: {} };
      return;
    case "leader-settings-changed":
      record.leaderSettingsVersion = getApp(state, record.app).leaderSettingsVersion;
      return;
  }
  if (hook.hook.includes("-relation-")) commitRelationHook(state, unit, hook);
}

function sameHook(a: HookRequest, b: HookRequest): boolean {
  return a.hook === b.hook && JSON.stringify(a.spec) === JSON.stringify(b.spec);
}

/**
 * The unit is gone once remove has run, or at once if it never installed. Its relation settings
 * stay until the relation is removed, readable by the units that remain (state/relationunit.go
 * ReadSettings, apiserver/facades/agent/uniter/uniter.go checkRemoteUnit). If it led, nobody
 * does until another agent claims the lease (leadership.ts).
 */
export function removeUnit(state: State, unit: string): void {
  const record = state.units[unit];
  if (!record) return;
  const app = getApp(state, appOf(unit));
  state.removedUnits[unit] = record.history;
  delete state.units[unit];
  for (const relation of state.relations) delete relation.views[unit];
  dropGoneRelations(state);
  if (app.leader === unit) releaseLease(app);
}
