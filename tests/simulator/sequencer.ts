// One hook at a time, in Juju's order: scripted hooks run at once, and what they commit queues
// the follow-ups Juju would fire (-changed on the other side, leader-settings-changed) until the
// model is quiescent. A unit in hook error owes its hooks until the failed one is retried.
import {
  addressSettings,
  appOf,
  getRelation,
  getUnit,
  localEnd,
  remoteEnd,
  unitsOfApp,
} from "./model.ts";
import { runHookProcess, type HookSpec, type Paths, type RunOutcome } from "./runner.ts";
import { applyHookEffects } from "./hook-effects.ts";
import { startRetry } from "./hook-retry.ts";
import { readState, updateState, type HookRequest, type Relation } from "./state.ts";

type Queued = HookRequest & { unit: string };

const sameHook = (a: HookRequest, b: HookRequest): boolean =>
  a.hook === b.hook &&
  a.spec.relationId === b.spec.relationId &&
  (a.spec.remoteUnit ?? "") === (b.spec.remoteUnit ?? "") &&
  (a.spec.remoteApp ?? "") === (b.spec.remoteApp ?? "");

const sameQueued = (a: Queued, b: Queued): boolean => a.unit === b.unit && sameHook(a, b);

export class Sequencer {
  private queue: Queued[] = [];

  constructor(
    private readonly paths: Paths,
    private readonly maxHooks = 1000,
  ) {}

  /**
   * Runs a hook now, unless the unit is gone or in a hook error. Juju works from state, not from
   * a queue: while a unit is in error its resolver runs nothing but the failed hook (and actions),
   * and once that hook succeeds every hook still due runs (internal/worker/uniter/resolver.go,
   * relation/resolver.go). So a hook due meanwhile is owed to the unit, once, not dropped.
   */
  async fire(unit: string, hook: string, spec: HookSpec = {}): Promise<RunOutcome | undefined> {
    const request = { unit, hook, spec };
    this.queue = this.queue.filter((q) => !sameQueued(q, request));
    const record = readState(this.paths.dir).units[unit];
    if (!record) return undefined;
    if (record.failedHook) {
      updateState(this.paths.dir, (state) => {
        const owed = state.units[unit]?.owed;
        if (owed && !owed.some((o) => sameHook(o, request))) owed.push({ hook, spec });
      });
      return undefined;
    }
    return this.run(unit, { hook, spec });
  }

  /**
   * Runs the hook and queues the follow-ups of what it committed. Unless `scripted` (a test's
   * runHook, which changes nothing else), a hook that succeeds also has its lifecycle effects.
   */
  async run(unit: string, request: HookRequest, scripted = false): Promise<RunOutcome> {
    // -broken runs with the relation already gone from relation-ids; until then it is listed.
    if (!scripted && request.hook.endsWith("-relation-broken")) {
      updateState(this.paths.dir, (state) => {
        const view = state.relations.find((r) => r.id === request.spec.relationId)?.views[unit];
        if (view) view.broken = true;
      });
    }
    const outcome = await runHookProcess(this.paths, unit, request.hook, request.spec);
    this.queueFollowUps(unit, outcome);
    if (outcome.exitCode === 0 && !scripted) await this.completed(unit, request);
    return outcome;
  }

  private async completed(unit: string, request: HookRequest): Promise<void> {
    const leader = updateState(this.paths.dir, (state) => applyHookEffects(state, unit, request));
    if (leader) await this.fire(leader, "leader-elected");
  }

  /**
   * `juju resolve` (retry, the default in Juju 3: cmd/juju/application/resolved.go) re-runs the
   * failed hook; `--no-retry` commits it as if it had run. Either way the retry timer is reset,
   * and once the unit is out of error it runs what it is owed.
   */
  async resolve(unit: string, retry: boolean): Promise<void> {
    const failed = updateState(this.paths.dir, (state) => {
      const record = state.units[unit];
      if (!record) throw new Error(`unit "${unit}" not found`);
      if (!record.failedHook) throw new Error(`unit "${unit}" is not in an error state`);
      const request = record.failedHook;
      record.retry = null;
      if (!retry) {
        record.failedHook = null;
        record.agent = { status: "idle", message: "", data: {} };
      }
      return request;
    });
    if (retry) await this.run(unit, failed);
    else await this.completed(unit, failed);
    await this.drainOwed(unit);
  }

  /**
   * Moves the virtual clock to `until`, running each automatic retry that falls due on the way,
   * in time order. A retry that fails starts the timer again with the grown back-off.
   */
  async retryDue(until: number): Promise<void> {
    for (;;) {
      const due = updateState(this.paths.dir, (state) => {
        if (!state.automaticallyRetryHooks) return null;
        const next = Object.values(state.units)
          .filter((u) => u.failedHook && u.retry && u.retry.at <= until)
          .sort((a, b) => a.retry!.at - b.retry!.at)[0];
        if (!next) return null;
        state.clock = Math.max(state.clock, next.retry!.at);
        next.retry = startRetry(state.clock, next.retry!.nextDelayMs);
        return { unit: next.name, request: next.failedHook! };
      });
      if (!due) break;
      const outcome = await this.run(due.unit, due.request);
      if (outcome.exitCode === 0) await this.drainOwed(due.unit);
      await this.settle();
    }
    updateState(this.paths.dir, (state) => void (state.clock = Math.max(state.clock, until)));
  }

  /** Runs the unit's owed hooks in the order they fell due, while it stays out of error. */
  private async drainOwed(unit: string): Promise<void> {
    for (;;) {
      const next = updateState(this.paths.dir, (state) => {
        const record = state.units[unit];
        if (!record || record.failedHook || record.owed.length === 0) return null;
        return record.owed.shift()!;
      });
      if (!next) return;
      if (this.stillRelevant({ unit, ...next })) await this.run(unit, next);
    }
  }

  queueFollowUps(
    unit: string,
    outcome: Pick<RunOutcome, "writes" | "leaderSettingsChanged">,
  ): void {
    const state = readState(this.paths.dir);
    for (const write of outcome.writes) {
      const relation = state.relations.find((r) => r.id === write.relationId);
      if (relation)
        this.queueChanged(relation, appOf(write.writer), write.writer, write.application);
    }
    if (outcome.leaderSettingsChanged) {
      for (const other of unitsOfApp(state, appOf(unit))) {
        if (other !== unit)
          this.enqueue({ unit: other, hook: "leader-settings-changed", spec: {} });
      }
    }
  }

  /**
   * -changed for everyone on the other side who can see the bag that changed. writer is the
   * unit that wrote it (null when a test arranged the bag), which never hears of its own write.
   */
  queueChanged(
    relation: Relation,
    writerApp: string,
    writer: string | null,
    application: boolean,
  ): void {
    for (const [unit, view] of Object.entries(relation.views)) {
      if (view.broken || unit === writer) continue;
      const sameApp = appOf(unit) === writerApp;
      if (relation.peer ? !sameApp : sameApp) continue;
      if (!application && (writer === null || !view.joined.includes(writer))) continue;
      const hook = `${localEnd(relation, appOf(unit)).endpoint}-relation-changed`;
      const spec: HookSpec =
        application || writer === null
          ? { relationId: relation.id, remoteApp: writerApp }
          : { relationId: relation.id, remoteUnit: writer, remoteApp: writerApp };
      this.enqueue({ unit, hook, spec });
    }
  }

  private enqueue(request: Queued): void {
    if (!this.queue.some((q) => sameQueued(q, request))) this.queue.push(request);
  }

  /** Drains the queue; a follow-up whose remote unit has since departed is dropped. */
  async settle(): Promise<void> {
    let count = 0;
    while (this.queue.length > 0) {
      if (++count > this.maxHooks) {
        const next = this.queue.slice(0, 5).map((q) => `${q.unit}:${q.hook}`);
        throw new Error(
          `model did not settle after ${this.maxHooks} hooks; next: ${next.join(", ")}`,
        );
      }
      const next = this.queue.shift()!;
      if (this.stillRelevant(next)) await this.fire(next.unit, next.hook, next.spec);
    }
  }

  /** A relation hook is dropped once the unit has left the relation or the remote unit left. */
  private stillRelevant(request: Queued): boolean {
    if (request.spec.relationId === undefined) return true;
    const state = readState(this.paths.dir);
    const view = state.relations.find((r) => r.id === request.spec.relationId)?.views[request.unit];
    if (!view) return false;
    if (/-relation-(broken|departed)$/.test(request.hook)) return true;
    // A removed relation only departs and breaks (relation/resolver.go nextHookForRelation).
    const relation = state.relations.find((r) => r.id === request.spec.relationId)!;
    if (view.broken || relation.dying) return false;
    return !request.spec.remoteUnit || view.joined.includes(request.spec.remoteUnit);
  }

  /** The unit enters the relation's scope: Juju writes its address keys, then -created runs. */
  async created(unit: string, relationId: number): Promise<void> {
    const relation = updateState(this.paths.dir, (state) => {
      const rel = state.relations.find((r) => r.id === relationId)!;
      rel.views[unit] ??= { joined: [], departed: [], broken: false };
      rel.unitData[unit] = { ...rel.unitData[unit], ...addressSettings(getUnit(state, unit)) };
      return rel;
    });
    const app = appOf(unit);
    await this.fire(unit, `${localEnd(relation, app).endpoint}-relation-created`, {
      relationId,
      remoteApp: remoteEnd(relation, app).app,
    });
  }

  /** unit sees remote join: -joined then -changed for that remote unit. */
  async joined(unit: string, remote: string, relationId: number): Promise<void> {
    const relation = updateState(this.paths.dir, (state) => {
      const rel = state.relations.find((r) => r.id === relationId)!;
      const view = rel.views[unit];
      if (view && !view.joined.includes(remote)) view.joined.push(remote);
      view!.departed = view!.departed.filter((u) => u !== remote);
      return rel;
    });
    const endpoint = localEnd(relation, appOf(unit)).endpoint;
    const spec = { relationId, remoteUnit: remote, remoteApp: appOf(remote) };
    await this.fire(unit, `${endpoint}-relation-joined`, spec);
    await this.fire(unit, `${endpoint}-relation-changed`, spec);
  }

  async departed(
    unit: string,
    remote: string,
    relationId: number,
    departing: string,
  ): Promise<void> {
    const relation = updateState(this.paths.dir, (state) => {
      const rel = state.relations.find((r) => r.id === relationId)!;
      const view = rel.views[unit]!;
      view.joined = view.joined.filter((u) => u !== remote);
      if (!view.departed.includes(remote)) view.departed.push(remote);
      return rel;
    });
    await this.fire(unit, `${localEnd(relation, appOf(unit)).endpoint}-relation-departed`, {
      relationId,
      remoteUnit: remote,
      remoteApp: appOf(remote),
      departingUnit: departing,
    });
  }

  /** The unit leaves the relation once -broken has run (hook-effects.ts), not before. */
  async broken(unit: string, relationId: number): Promise<void> {
    const relation = getRelation(readState(this.paths.dir), relationId);
    const app = appOf(unit);
    await this.fire(unit, `${localEnd(relation, app).endpoint}-relation-broken`, {
      relationId,
      remoteApp: remoteEnd(relation, app).app,
    });
  }
}
