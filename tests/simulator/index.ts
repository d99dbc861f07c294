// The simulator's API for tests: a model in a directory, charms run through their real dispatch
// and real hook-tool executables, state in and state out.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCliParams } from "./action-params.ts";
import { actionSchema, insertDefaults, validateParams } from "./action-schema.ts";
import {
  addUnitRecord,
  applyConfig,
  createApplication,
  createRelation,
  removeRelation,
  removeUnit,
} from "./lifecycle.ts";
import { appOf, getApp, getRelation, getUnit, unitCharmDir } from "./model.ts";
import {
  defaultHookTimeoutMs,
  runActionProcess,
  type HookRun,
  type HookSpec,
  type Paths,
} from "./runner.ts";
import { defaultSeed, seededRandom } from "./seed.ts";
import { Sequencer } from "./sequencer.ts";
import {
  emptyState,
  readState,
  updateState,
  writeState,
  type Fault,
  type HookLogEntry,
  type LogLine,
  type State,
  type Status,
} from "./state.ts";
import { serveAgentSocket } from "./agent-socket.ts";
import { ensureJujuc, installTools } from "./tools-install.ts";

export type { HookRun, HookSpec } from "./runner.ts";
export type { Fault, HookLogEntry, HookRequest, LogLine, State, Status } from "./state.ts";
export { SEED_ENV } from "./seed.ts";

export interface ActionRun {
  id: number;
  status: "completed" | "failed";
  message?: string;
  results: Record<string, unknown>;
  logs: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  toolCalls: string[][];
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

export class Simulator {
  private readonly seq: Sequencer;

  private constructor(
    private readonly paths: Paths,
    readonly seed: number,
    maxHooks?: number,
  ) {
    this.seq = new Sequencer(paths, seededRandom(seed), maxHooks);
  }

  static async create(options: CreateOptions = {}): Promise<Simulator> {
    const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), "juju-sim-"));
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, "state.json"))) {
      writeState(dir, emptyState(options.modelName ?? "test-model", randomUUID()));
    }
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

  get dir(): string {
    return this.paths.dir;
  }

  get toolsDir(): string {
    return this.paths.toolsDir;
  }

  /** The directory the unit's hooks run in, as CHARM_DIR tells them: each unit has its own. */
  charmDir(unit: string): string {
    return unitCharmDir(this.state(), unit);
  }

  state(): State {
    return readState(this.paths.dir);
  }

  /**
   * `juju deploy`: the application and its units. Each unit then runs install, relation-created
   * for the relations it enters, leader-elected or leader-settings-changed, config-changed and
   * start, and meets the others, as its resolver decides.
   */
  async deploy(
    app: string,
    charmDir: string,
    options: { units?: number; config?: Record<string, unknown> } = {},
  ): Promise<void> {
    updateState(this.paths.dir, (state) => {
      createApplication(state, app, charmDir, options.config ?? {});
      for (let i = 0; i < (options.units ?? 1); i++) addUnitRecord(state, app, this.paths.dir);
    });
    await this.seq.settle();
  }

  /** `juju add-unit`: a new unit, which then runs its deploy sequence and meets the others. */
  async addUnit(app: string): Promise<string> {
    const unit = updateState(this.paths.dir, (state) => addUnitRecord(state, app, this.paths.dir));
    await this.seq.settle();
    return unit;
  }

  /** `juju integrate a:ep b:ep`: every idle unit of both sides enters the relation's scope. */
  async integrate(a: string, b: string): Promise<number> {
    const relation = updateState(this.paths.dir, (state) => createRelation(state, a, b));
    await this.seq.settle();
    return relation.id;
  }

  /** `juju remove-relation`: each unit in it departs its members and breaks it. */
  async removeRelation(id: number): Promise<void> {
    updateState(this.paths.dir, (state) => removeRelation(state, id));
    await this.seq.settle();
  }

  /** `juju remove-unit`: others see it depart; it departs, breaks, stops and is removed. */
  async removeUnit(unit: string): Promise<void> {
    updateState(this.paths.dir, (state) => removeUnit(state, unit));
    await this.seq.settle();
  }

  /** Leadership moves to unit: it accepts it (leader-elected) once idle; the old leader resigns. */
  async setLeader(unit: string): Promise<void> {
    updateState(this.paths.dir, (state) => {
      getUnit(state, unit);
      getApp(state, appOf(unit)).leader = unit;
    });
    await this.seq.settle();
  }

  /**
   * `juju config app k=v`: null resets a key to its default. Units run config-changed only if
   * a value really changed, as Juju compares a hash of the settings.
   */
  async config(app: string, values: Record<string, unknown>): Promise<void> {
    updateState(this.paths.dir, (state) => applyConfig(state, app, values));
    await this.seq.settle();
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
   */
  async runAction(
    unit: string,
    action: string,
    params: Record<string, unknown> | string[] = {},
  ): Promise<ActionRun> {
    const state = this.state();
    const target = unit.endsWith("/leader") ? getApp(state, appOf(unit)).leader : unit;
    if (!target) throw new Error(`application "${appOf(unit)}" has no leader`);
    const spec = getApp(state, appOf(target)).actions[action];
    if (!spec) throw new Error(`action "${action}" not defined on unit "${target}"`);
    const given = Array.isArray(params) ? parseCliParams(params) : params;
    const schema = actionSchema(action, spec);
    const invalid = validateParams(schema, given);
    if (invalid) throw new Error(invalid);
    const outcome = await runActionProcess(
      this.paths,
      target,
      action,
      insertDefaults(schema, given),
    );
    await this.seq.settle();
    const task = this.state().tasks.find((t) => t.id === outcome.taskId)!;
    return {
      id: task.id,
      status: task.status === "failed" ? "failed" : "completed",
      ...(task.message !== "" ? { message: task.message } : {}),
      results: task.results,
      logs: task.logs,
      exitCode: outcome.exitCode,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      toolCalls: outcome.toolCalls,
    };
  }

  /** Runs every hook the units owe until none owes any; throws if that never ends. */
  async settle(): Promise<void> {
    await this.seq.settle();
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

  /** The virtual time (ms) at which the unit's failed hook is retried by itself, if it will be. */
  nextRetryAt(unit: string): number | null {
    const state = this.state();
    const record = getUnit(state, unit);
    return state.automaticallyRetryHooks && record.failedHook ? (record.retry?.at ?? null) : null;
  }

  /** The model's virtual clock, in ms. */
  get clock(): number {
    return this.state().clock;
  }

  /** Every hook and action run so far, in order (skipped hooks of a charm without dispatch excluded). */
  hookLog(): HookLogEntry[] {
    return this.state().hookLog;
  }

  unitStatus(unit: string): Status {
    return getUnit(this.state(), unit).workload;
  }

  /** Every workload status the unit had, in order, the agent's own included; kept after removal. */
  statusHistory(unit: string): Status[] {
    const state = this.state();
    const removed = state.removedUnits[unit];
    return removed ?? getUnit(state, unit).history;
  }

  agentStatus(unit: string): Status {
    return getUnit(this.state(), unit).agent;
  }

  appStatus(app: string): Status {
    return getApp(this.state(), app).status;
  }

  logs(unit: string): LogLine[] {
    return getUnit(this.state(), unit).logs;
  }

  /** The committed databag of a unit ("app/0") or an application ("app"). */
  relationData(relationId: number, unitOrApp: string): Record<string, string> {
    const relation = getRelation(this.state(), relationId);
    const bags = unitOrApp.includes("/") ? relation.unitData : relation.appData;
    return { ...bags[unitOrApp] };
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
