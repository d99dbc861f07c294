// The simulator's API for tests: a model in a directory, charms run through their real dispatch
// and real hook-tool executables, state in and state out.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { actionRunOf, queueAction, type ActionRun } from "./action-task.ts";
import {
  addUnitRecord,
  applyConfig,
  createApplication,
  createRelation,
  removeRelation,
  removeUnit,
} from "./lifecycle.ts";
import { appOf, getApp, getRelation, getUnit } from "./model.ts";
import { ModelView } from "./model-view.ts";
import {
  defaultHookTimeoutMs,
  runActionProcess,
  type HookRun,
  type HookSpec,
  type Paths,
} from "./runner.ts";
import { defaultSeed, seededRandom } from "./seed.ts";
import { Sequencer } from "./sequencer.ts";
import { emptyState, updateState, writeState, type Fault } from "./state.ts";
import { serveAgentSocket } from "./agent-socket.ts";
import { ensureJujuc, installTools } from "./tools-install.ts";

export type { ActionRun } from "./action-task.ts";
export type { HookRun, HookSpec } from "./runner.ts";
export type { Fault, HookLogEntry, HookRequest, LogLine, State, Status } from "./state.ts";
export { SEED_ENV } from "./seed.ts";

/**
 * `settle: false` leaves the change for the agents to act on later: nothing runs until the next
 * settle(), step() or runAction(), as if the test looked at the model before the agents did.
 */
export interface SettleOption {
  settle?: boolean;
}

export interface CreateOptions {
  modelName?: string;
  /** A directory to keep the model in; an existing model there is opened. Default: a new temp dir. */
  dir?: string;
  /** How many follow-up hooks settle() runs before it declares the model unsettled. */
  maxHooks?: number;
  /** The model's automatically-retry-hooks; Juju's default is true. */
  automaticallyRetryHooks?: boolean;
  /**
   * Kill a hook that runs longer than this. Juju has no such limit; this only keeps a hung test
   * from hanging forever. Default: $SIM_HOOK_TIMEOUT_MS, else 10 minutes.
   */
  hookTimeoutMs?: number;
  /**
   * Draws the order in which a unit visits its relations, which Juju leaves to Go's map order.
   * Default: $SIM_SEED, else a seed drawn once per process and printed if the process fails.
   */
  seed?: number;
}

export class Simulator extends ModelView {
  private readonly seq: Sequencer;

  private constructor(
    private readonly paths: Paths,
    readonly seed: number,
    maxHooks?: number,
  ) {
    super(paths.dir);
    this.seq = new Sequencer(paths, seededRandom(seed), maxHooks);
  }

  get toolsDir(): string {
    return this.paths.toolsDir;
  }

  static async create(options: CreateOptions = {}): Promise<Simulator> {
    const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), "juju-sim-"));
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, "state.json"))) {
      writeState(dir, emptyState(options.modelName ?? "test-model", randomUUID()));
    }
    // Rewritten through the schema, so that a model kept by an older simulator gains its defaults
    // before the hook tools, which trust the file, read it.
    updateState(dir, () => undefined);
    if (options.automaticallyRetryHooks !== undefined) {
      const retry = options.automaticallyRetryHooks;
      updateState(dir, (state) => void (state.automaticallyRetryHooks = retry));
    }
    const toolsDir = installTools(dir, ensureJujuc());
    await serveAgentSocket(dir);
    const hookTimeoutMs = options.hookTimeoutMs ?? defaultHookTimeoutMs();
    const seed = options.seed ?? defaultSeed();
    return new Simulator({ dir, toolsDir, hookTimeoutMs }, seed, options.maxHooks);
  }

  /**
   * `juju deploy`: the application and its units. Each unit then runs install, relation-created
   * for the relations it enters, leader-elected or leader-settings-changed, config-changed and
   * start, and meets the others, as its resolver decides.
   */
  async deploy(
    app: string,
    charmDir: string,
    options: { units?: number; config?: Record<string, unknown> } & SettleOption = {},
  ): Promise<void> {
    updateState(this.paths.dir, (state) => {
      createApplication(state, app, charmDir, options.config ?? {});
      for (let i = 0; i < (options.units ?? 1); i++) addUnitRecord(state, app, this.paths.dir);
    });
    await this.settleUnless(options);
  }

  /** `juju add-unit`: a new unit, which then runs its deploy sequence and meets the others. */
  async addUnit(app: string, options: SettleOption = {}): Promise<string> {
    const unit = updateState(this.paths.dir, (state) => addUnitRecord(state, app, this.paths.dir));
    await this.settleUnless(options);
    return unit;
  }

  /** `juju integrate a:ep b:ep`: every idle unit of both sides enters the relation's scope. */
  async integrate(a: string, b: string, options: SettleOption = {}): Promise<number> {
    const relation = updateState(this.paths.dir, (state) => createRelation(state, a, b));
    await this.settleUnless(options);
    return relation.id;
  }

  /** `juju remove-relation`: each unit in it departs its members and breaks it. */
  async removeRelation(id: number, options: SettleOption = {}): Promise<void> {
    updateState(this.paths.dir, (state) => removeRelation(state, id));
    await this.settleUnless(options);
  }

  /** `juju remove-unit`: others see it depart; it departs, breaks, stops and is removed. */
  async removeUnit(unit: string, options: SettleOption = {}): Promise<void> {
    updateState(this.paths.dir, (state) => removeUnit(state, unit));
    await this.settleUnless(options);
  }

  /**
   * The lease passes to unit at once, as if the old leader's had expired and unit's agent had
   * claimed it: unit accepts it (leader-elected) once idle; the old leader resigns.
   */
  async setLeader(unit: string, options: SettleOption = {}): Promise<void> {
    updateState(this.paths.dir, (state) => {
      getUnit(state, unit);
      getApp(state, appOf(unit)).leader = unit;
    });
    await this.settleUnless(options);
  }

  /**
   * Moves leadership in the middle of a hook: once a unit of app has made a call of tool (whose
   * joined arguments contain argsContains), the lease passes to `to`, or with null to nobody
   * until the next settle step. Applies once. What that hook wrote with `relation-set --app`
   * then fails to commit, and its later leadership checks say no (leadership.ts).
   */
  moveLeadershipOnToolCall(move: {
    app: string;
    tool: string;
    argsContains?: string;
    to: string | null;
  }): void {
    updateState(this.paths.dir, (state) => {
      getApp(state, move.app);
      if (move.to !== null && appOf(getUnit(state, move.to).name) !== move.app) {
        throw new Error(`unit "${move.to}" is not a unit of "${move.app}"`);
      }
      state.leadershipMoves.push({ ...move });
    });
  }

  /**
   * `juju config app k=v`: a string is typed as `juju config` types it (config-values.ts), null
   * resets a key to its default. Units run config-changed only if a value really changed, as
   * Juju compares a hash of the settings.
   */
  async config(
    app: string,
    values: Record<string, unknown>,
    options: SettleOption = {},
  ): Promise<void> {
    updateState(this.paths.dir, (state) => applyConfig(state, app, values));
    await this.settleUnless(options);
  }

  private async settleUnless(options: SettleOption): Promise<void> {
    if (options.settle !== false) await this.seq.settle();
  }

  /**
   * One hook and nothing else, as if Juju had run it: what it writes reaches the others at the
   * next settle(), and the unit records nothing of it (no relation version, no hash). A unit in
   * error runs no hook but its failed one, so this throws: use resolve() or advanceTime().
   */
  async runHook(unit: string, hook: string, spec: HookSpec = {}): Promise<HookRun> {
    const record = getUnit(this.state(), unit);
    if (record.failedHook) {
      throw new Error(
        `unit "${unit}" is in error (${record.agent.message}): Juju runs none of its hooks ` +
          "until the failed one is retried; call resolve() or advanceTime()",
      );
    }
    const outcome = (await this.seq.runHook(unit, { hook, spec, scripted: true }))!;
    const { exitCode, stdout, stderr, toolCalls, skipped } = outcome;
    return { exitCode, stdout, stderr, toolCalls, skipped };
  }

  /**
   * `juju run`: params as a map, or as CLI "key=value" strings typed the way juju run types them.
   * Throws (nothing runs) when the action is unknown or the params fail the action's schema.
   * The action runs where the unit's resolver would take it (resolver.ts): after the
   * relation-created, leadership and queued hooks the unit owes, before its config-changed and
   * relation hooks; the other units wait. Then the model settles, unless settle is false.
   */
  async runAction(
    unit: string,
    action: string,
    params: Record<string, unknown> | string[] = {},
    options: SettleOption = {},
  ): Promise<ActionRun> {
    const task = queueAction(this.state(), unit, action, params);
    await this.seq.prepareForAction(task.unit);
    if (!this.state().units[task.unit]) {
      throw new Error(`unit "${task.unit}" was removed before it could run "${action}"`);
    }
    const outcome = await runActionProcess(this.paths, task.unit, action, task.params);
    await this.settleUnless(options);
    return actionRunOf(
      this.state().tasks.find((t) => t.id === outcome.taskId)!,
      outcome,
    );
  }

  /** Runs every hook the units owe until none owes any; throws if that never ends. */
  async settle(): Promise<void> {
    await this.seq.settle();
  }

  /**
   * One settle step: each unit in turn, in an order drawn from the seed, runs what it owes until
   * it is idle. A lease released in one step can be claimed from the next. False when nothing
   * happened (the model is settled).
   */
  async step(): Promise<boolean> {
    return this.seq.step();
  }

  /**
   * `juju resolve <unit>`: re-runs the failed hook (Juju 3's default), or with retry: false
   * (`--no-retry`) marks it done without running it. Once out of error the unit runs what the
   * model's state calls for now, then the model settles. Throws if the unit is not in error.
   */
  async resolve(unit: string, options: { retry?: boolean } = {}): Promise<void> {
    await this.seq.resolve(unit, options.retry ?? true);
    await this.seq.settle();
  }

  /**
   * Moves the model's virtual clock on by ms: every automatic hook retry that falls due runs, as
   * the unit agent's back-off timer would fire it (hook-retry.ts), then the model settles.
   */
  async advanceTime(ms: number): Promise<void> {
    await this.seq.retryDue(this.state().clock + ms);
    await this.seq.settle();
  }

  /**
   * Replaces a databag as if its owner had committed it. With notify, the bag gets a new
   * settings version, so the units watching it run -changed at the next settle().
   */
  setRelationData(
    relationId: number,
    unitOrApp: string,
    data: Record<string, string>,
    options: { notify?: boolean } = {},
  ): void {
    updateState(this.paths.dir, (state) => {
      const relation = getRelation(state, relationId);
      const bags = unitOrApp.includes("/") ? relation.unitData : relation.appData;
      bags[unitOrApp] = { ...data };
      if (options.notify) relation.versions[unitOrApp] = (relation.versions[unitOrApp] ?? 0) + 1;
    });
  }

  /** The unit's committed charm state (what state-get shows its next hook), {} when none. */
  charmState(unit: string): Record<string, string> {
    return { ...getUnit(this.state(), unit).charmState };
  }

  /**
   * Replaces the unit's committed charm state, as if a hook had committed it ({} removes it), so
   * a test can run the same hook with and without what the charm kept.
   */
  setCharmState(unit: string, charmState: Record<string, string>): void {
    updateState(this.paths.dir, (state) => {
      getUnit(state, unit).charmState = { ...charmState };
    });
  }

  /** Drops every injected fault that has not fired yet. */
  clearFaults(): void {
    updateState(this.paths.dir, (state) => void (state.faults = []));
  }

  /** The next `times` calls of tool (whose joined args contain argsContains) fail as given. */
  injectFault(fault: Partial<Fault> & { tool: string }): void {
    updateState(this.paths.dir, (state) => {
      state.faults.push({
        times: 1,
        exitCode: 1,
        stderr: `ERROR injected failure of ${fault.tool}\n`,
        ...fault,
      });
    });
  }
}
