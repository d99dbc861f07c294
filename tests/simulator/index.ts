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
  joinAll,
  startUnit,
  tearDownRelation,
  tearDownUnit,
} from "./lifecycle.ts";
import { agentCharmDir, appOf, getApp, getRelation, getUnit, unitsOfApp } from "./model.ts";
import {
  defaultHookTimeoutMs,
  runActionProcess,
  type HookRun,
  type HookSpec,
  type Paths,
} from "./runner.ts";
import { Sequencer } from "./sequencer.ts";
import {
  emptyState,
  readState,
  updateState,
  writeState,
  type Fault,
  type HookLogEntry,
  type HookRequest,
  type LogLine,
  type State,
  type Status,
} from "./state.ts";
import { serveAgentSocket } from "./agent-socket.ts";
import { ensureJujuc, installTools } from "./tools-install.ts";

export type { HookRun, HookSpec } from "./runner.ts";
export type { Fault, HookLogEntry, HookRequest, LogLine, State, Status } from "./state.ts";

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
}

export class Simulator {
  private readonly seq: Sequencer;

  private constructor(
    private readonly paths: Paths,
    maxHooks?: number,
  ) {
    this.seq = new Sequencer(paths, maxHooks);
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
    return new Simulator({ dir, toolsDir, hookTimeoutMs }, options.maxHooks);
  }

  get dir(): string {
    return this.paths.dir;
  }

  get toolsDir(): string {
    return this.paths.toolsDir;
  }

  /** The directory the application's hooks run in, as CHARM_DIR tells them. */
  charmDir(app: string): string {
    return agentCharmDir(getApp(this.state(), app));
  }

  state(): State {
    return readState(this.paths.dir);
  }

  /** install → leader-elected (unit 0) / leader-settings-changed → config-changed → start per unit. */
  async deploy(
    app: string,
    charmDir: string,
    options: { units?: number; config?: Record<string, unknown> } = {},
  ): Promise<void> {
    const units = updateState(this.paths.dir, (state) => {
      createApplication(state, app, charmDir, options.config ?? {}, this.paths.dir);
      return Array.from({ length: options.units ?? 1 }, () => addUnitRecord(state, app));
    });
    for (const unit of units) await startUnit(this.seq, this.paths.dir, unit);
    for (const relation of this.relationsOf(app)) await joinAll(this.seq, this.paths.dir, relation);
    await this.seq.settle();
  }

  /** A new unit runs its deploy sequence, then meets every unit it is related to, both ways. */
  async addUnit(app: string): Promise<string> {
    const unit = updateState(this.paths.dir, (state) => addUnitRecord(state, app));
    await startUnit(this.seq, this.paths.dir, unit);
    for (const relation of this.relationsOf(app)) await joinAll(this.seq, this.paths.dir, relation);
    await this.seq.settle();
    return unit;
  }

  /** `juju integrate a:ep b:ep`: -created on every unit, then -joined/-changed per unit pair. */
  async integrate(a: string, b: string): Promise<number> {
    const relation = updateState(this.paths.dir, (state) => createRelation(state, a, b));
    const state = this.state();
    for (const end of relation.ends) {
      for (const unit of unitsOfApp(state, end.app)) await this.seq.created(unit, relation.id);
    }
    await joinAll(this.seq, this.paths.dir, relation.id);
    await this.seq.settle();
    return relation.id;
  }

  async removeRelation(id: number): Promise<void> {
    await tearDownRelation(this.seq, this.paths.dir, id);
    await this.seq.settle();
  }

  async removeUnit(unit: string): Promise<void> {
    await tearDownUnit(this.seq, this.paths.dir, unit);
    await this.seq.settle();
  }

  /** leader-elected on the new leader, leader-settings-changed on the others. */
  async setLeader(unit: string): Promise<void> {
    const app = appOf(unit);
    updateState(this.paths.dir, (state) => {
      getUnit(state, unit);
      getApp(state, app).leader = unit;
    });
    await this.seq.fire(unit, "leader-elected");
    for (const other of unitsOfApp(this.state(), app)) {
      if (other !== unit) await this.seq.fire(other, "leader-settings-changed");
    }
    await this.seq.settle();
  }

  /** `juju config app k=v`: config-changed on every unit. null resets a key to its default. */
  async config(app: string, values: Record<string, unknown>): Promise<void> {
    updateState(this.paths.dir, (state) => applyConfig(state, app, values));
    for (const unit of unitsOfApp(this.state(), app)) await this.seq.fire(unit, "config-changed");
    await this.seq.settle();
  }

  /**
   * One hook and nothing else; follow-ups of its writes wait for the next settle(). A unit in
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
    const outcome = await this.seq.run(unit, { hook, spec }, true);
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
    this.seq.queueFollowUps(target, outcome);
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

  /** Runs the follow-up hooks Juju would fire until nothing is left; throws if it never ends. */
  async settle(): Promise<void> {
    await this.seq.settle();
  }

  /**
   * `juju resolve <unit>`: re-runs the failed hook (Juju 3's default), or with retry: false
   * (`--no-retry`) marks it done without running it. Once the unit is out of error it runs every
   * hook that fell due meanwhile, then the model settles. Throws if the unit is not in error.
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

  /** The hooks a unit in error will run once its failed hook has succeeded, in order. */
  owedHooks(unit: string): HookRequest[] {
    return getUnit(this.state(), unit).owed;
  }

  /** Every hook and action run so far, in order (skipped hooks of a charm without dispatch excluded). */
  hookLog(): HookLogEntry[] {
    return this.state().hookLog;
  }

  unitStatus(unit: string): Status {
    return getUnit(this.state(), unit).workload;
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
   * Replaces a databag as if its owner had committed it. With notify, the other side's
   * -changed hooks are queued for the next settle().
   */
  setRelationData(
    relationId: number,
    unitOrApp: string,
    data: Record<string, string>,
    options: { notify?: boolean } = {},
  ): void {
    const relation = updateState(this.paths.dir, (state) => {
      const rel = getRelation(state, relationId);
      const bags = unitOrApp.includes("/") ? rel.unitData : rel.appData;
      bags[unitOrApp] = { ...data };
      return rel;
    });
    if (options.notify) {
      const unit = unitOrApp.includes("/");
      this.seq.queueChanged(
        relation,
        unit ? appOf(unitOrApp) : unitOrApp,
        unit ? unitOrApp : null,
        !unit,
      );
    }
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

  private relationsOf(app: string): number[] {
    return this.state()
      .relations.filter((r) => !r.dying && r.ends.some((e) => e.app === app))
      .map((r) => r.id);
  }
}
