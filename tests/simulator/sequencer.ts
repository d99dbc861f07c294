// Runs the units' agents until the model is quiescent: each unit in turn asks the resolver
// (resolver.ts) for its next operation and performs it, until no unit has anything to do.
// Juju runs the units' agents at once, so it promises no order between units; here they take
// turns, each until it is idle, in an order drawn from the seed (seed.ts) every settle step, as
// the order in which a unit visits its relations is. A unit's agent claims a vacant leadership
// lease when its turn comes (leadership.ts).
import { beforeHook, recordHookEnd, recordHookSkipped, removeUnit } from "./hook-effects.ts";
import { startRetry } from "./hook-retry.ts";
import { claimVacantLease, expireReleasedLeases } from "./leadership.ts";
import { compareUnits, isLeader } from "./model.ts";
import {
  describeOperation,
  nextOperation,
  nextOperationBeforeAction,
  type Operation,
} from "./resolver.ts";
import { runHookProcess, type Paths, type RunOutcome } from "./runner.ts";
import { shuffled } from "./seed.ts";
import { readState, updateState, type HookRequest, type State } from "./state.ts";
import { unsettledMessage } from "./unsettled.ts";

type Resolve = (state: State, unit: string, random: () => number) => Operation | null;

export class Sequencer {
  private performed = 0;

  constructor(
    private readonly paths: Paths,
    private readonly random: () => number,
    private readonly maxHooks = 1000,
  ) {}

  /** Every unit runs what it owes, step after step, until none owes anything. */
  async settle(): Promise<void> {
    this.performed = 0;
    while (await this.nextStep()) {
      /* another step */
    }
  }

  /**
   * One settle step: each unit in turn, in an order drawn from the seed, runs what it owes until
   * it is idle. Leases released during the previous step have expired when it starts. False
   * when nothing happened.
   */
  async step(): Promise<boolean> {
    this.performed = 0;
    return this.nextStep();
  }

  /**
   * The unit does what its resolver ranks above an action `juju run` queued for it, so that the
   * action can run next (resolver.ts nextOperationBeforeAction). The other units wait.
   */
  async prepareForAction(unit: string): Promise<void> {
    this.performed = 0;
    await this.takeTurn(unit, nextOperationBeforeAction);
  }

  private async nextStep(): Promise<boolean> {
    updateState(this.paths.dir, expireReleasedLeases);
    let progressed = false;
    const units = Object.keys(readState(this.paths.dir).units).sort(compareUnits);
    for (const unit of shuffled(units, this.random)) {
      if (await this.takeTurn(unit, nextOperation)) progressed = true;
    }
    return progressed;
  }

  private async takeTurn(unit: string, resolve: Resolve): Promise<boolean> {
    let progressed = updateState(this.paths.dir, (s) => claimVacantLease(s, unit));
    for (;;) {
      const op = updateState(this.paths.dir, (s) => resolve(s, unit, this.random));
      if (op === null) return progressed;
      if (++this.performed > this.maxHooks) {
        const next = describeOperation(unit, op);
        throw new Error(unsettledMessage(readState(this.paths.dir), this.maxHooks, next));
      }
      await this.perform(unit, op);
      progressed = true;
    }
  }

  private async perform(unit: string, op: Operation): Promise<void> {
    switch (op.kind) {
      case "run-hook":
        await this.runHook(unit, op.hook);
        return;
      case "accept-leadership":
        // operation/leader.go acceptLeadership.Commit: leader-elected is queued, not run yet.
        updateState(this.paths.dir, (state) => {
          const record = state.units[unit]!;
          record.leader = true;
          record.queuedHook = { hook: "leader-elected", spec: {} };
        });
        return;
      case "resign-leadership":
        // resignLeadership runs no hook (leader-deposed was never implemented).
        updateState(this.paths.dir, (state) => void (state.units[unit]!.leader = false));
        return;
      case "dead":
        updateState(this.paths.dir, (state) => removeUnit(state, unit));
        return;
    }
  }

  /**
   * Runs one hook and records how it ended. A hook a test runs by hand (`scripted`) gets no
   * agent statuses and changes nothing the agent records; it still fails the unit as any hook.
   */
  async runHook(unit: string, hook: HookRequest): Promise<RunOutcome | null> {
    if (!hook.scripted) {
      const skip = updateState(this.paths.dir, (state) => {
        // runhook.go Prepare: leader-elected is skipped (and committed) once the unit is no
        // longer leader by the time it would run.
        if (hook.hook === "leader-elected" && !isLeader(state, unit)) {
          recordHookSkipped(state, unit, hook);
          return true;
        }
        beforeHook(state, unit, hook.hook);
        return false;
      });
      if (skip) return null;
    }
    const outcome = await runHookProcess(this.paths, unit, hook.hook, hook.spec);
    updateState(this.paths.dir, (state) =>
      recordHookEnd(state, unit, hook, {
        succeeded: outcome.exitCode === 0,
        terminated: outcome.terminated,
        unitStatusSet: outcome.unitStatusSet,
      }),
    );
    return outcome;
  }

  /**
   * `juju resolve` (retry, the default in Juju 3: cmd/juju/application/resolved.go) re-runs the
   * failed hook; `--no-retry` commits it as if it had run (operation/skip.go). Either way the
   * retry timer stops (resolver.go nextOpHookError).
   */
  async resolve(unit: string, retry: boolean): Promise<void> {
    const failed = updateState(this.paths.dir, (state) => {
      const record = state.units[unit];
      if (!record) throw new Error(`unit "${unit}" not found`);
      if (!record.failedHook) throw new Error(`unit "${unit}" is not in an error state`);
      const hook = record.failedHook;
      record.retry = null;
      if (!retry) recordHookSkipped(state, unit, hook);
      return hook;
    });
    if (retry) await this.runHook(unit, failed);
  }

  /**
   * Moves the virtual clock to `until`, running each automatic retry that falls due on the way,
   * in time order, and letting the model settle after each. A retry that fails starts the timer
   * again with the grown back-off.
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
        return { unit: next.name, hook: next.failedHook! };
      });
      if (!due) break;
      await this.runHook(due.unit, due.hook);
      await this.settle();
    }
    updateState(this.paths.dir, (state) => void (state.clock = Math.max(state.clock, until)));
  }
}
