// One hook at a time, in Juju's order: scripted hooks run at once, and what they commit queues
// the follow-ups Juju would fire (-changed on the other side, leader-settings-changed) until the
// model is quiescent.
import { addressSettings, appOf, getUnit, localEnd, remoteEnd, unitsOfApp } from "./model.ts";
import { runHookProcess, type HookSpec, type Paths, type RunOutcome } from "./runner.ts";
import { readState, updateState, type Relation } from "./state.ts";

interface Queued {
  unit: string;
  hook: string;
  spec: HookSpec;
}

const sameHook = (a: Queued, b: Queued): boolean =>
  a.unit === b.unit &&
  a.hook === b.hook &&
  a.spec.relationId === b.spec.relationId &&
  (a.spec.remoteUnit ?? "") === (b.spec.remoteUnit ?? "") &&
  (a.spec.remoteApp ?? "") === (b.spec.remoteApp ?? "");

export class Sequencer {
  private queue: Queued[] = [];

  constructor(
    private readonly paths: Paths,
    private readonly maxHooks = 1000,
  ) {}

  /**
   * Runs a hook now unless the unit is gone or stuck in a hook error (the uniter would wait for
   * `juju resolve`), and queues the follow-ups of what it committed.
   */
  async fire(unit: string, hook: string, spec: HookSpec = {}): Promise<RunOutcome | undefined> {
    const request = { unit, hook, spec };
    this.queue = this.queue.filter((q) => !sameHook(q, request));
    const state = readState(this.paths.dir);
    const record = state.units[unit];
    if (!record || record.agent.status === "error") return undefined;
    const outcome = await runHookProcess(this.paths, unit, hook, spec);
    this.queueFollowUps(unit, outcome);
    return outcome;
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
    if (!this.queue.some((q) => sameHook(q, request))) this.queue.push(request);
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

  private stillRelevant(request: Queued): boolean {
    if (request.spec.relationId === undefined) return true;
    const state = readState(this.paths.dir);
    const view = state.relations.find((r) => r.id === request.spec.relationId)?.views[request.unit];
    if (!view || view.broken) return false;
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

  /** -broken runs with the relation already gone from relation-ids; then the unit leaves it. */
  async broken(unit: string, relationId: number): Promise<void> {
    const relation = updateState(this.paths.dir, (state) => {
      const rel = state.relations.find((r) => r.id === relationId)!;
      rel.views[unit]!.broken = true;
      return rel;
    });
    const app = appOf(unit);
    await this.fire(unit, `${localEnd(relation, app).endpoint}-relation-broken`, {
      relationId,
      remoteApp: remoteEnd(relation, app).app,
    });
    updateState(this.paths.dir, (state) => {
      const rel = state.relations.find((r) => r.id === relationId);
      if (rel) delete rel.views[unit];
    });
  }
}
