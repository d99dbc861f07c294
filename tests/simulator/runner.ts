// Runs one hook or action the way the uniter's runner does: a fresh context, the charm's
// dispatch with Juju's environment, then commit (exit 0) or discard (non-zero) the buffered writes.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync } from "node:fs";
import { join } from "node:path";
import { refreshCharmDir } from "./agent-path.ts";
import { hookEnv } from "./env.ts";
import { actionCapture, logMessages } from "./hook-output.ts";
import { leadershipLostAtCommit } from "./leadership.ts";
import { appOf, getApp, getUnit, unitCharmDir, unitRelation } from "./model.ts";
import { charmStateCommitError, commitCharmState } from "./charm-state.ts";
import { prepareRelationCaches } from "./relation-cache.ts";
import { oversizedSettings } from "./settings-commit.ts";
import { readState, updateState, type HookContext, type State } from "./state.ts";

export interface HookSpec {
  relationId?: number;
  remoteUnit?: string;
  remoteApp?: string;
  departingUnit?: string;
}

export interface HookRun {
  /** The process's exit status; 1 for a hook that exited 0 but whose changes Juju could not commit. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** argv of every hook-tool call the process made, in order, as the tools recorded them. */
  toolCalls: string[][];
  /** True when the charm has no dispatch, so Juju skipped the hook. */
  skipped: boolean;
}

export interface RunOutcome extends HookRun {
  /** stdout and stderr as Juju keeps them for an action's results (hook-output.ts). */
  captured: { stdout: string; stderr: string };
  /** Killed by SIGTERM or SIGKILL (not by the simulator's own guard): Juju's ErrTerminated. */
  terminated: boolean;
  /** Why Juju could not commit what the process changed, when it exited 0 but could not. */
  commitError: string | null;
  /** The charm set its unit's status. */
  unitStatusSet: boolean;
}

export interface Paths {
  dir: string;
  toolsDir: string;
  /** The simulator's guard against a hung hook; Juju itself sets no limit. */
  hookTimeoutMs: number;
}

interface ContextSpec extends HookSpec {
  kind: "hook" | "action";
  unit: string;
  name: string;
  taskId?: number;
}

/**
 * Juju runs a hook until it exits (runner.go's runCharmProcessOnLocal waits with no deadline), so a
 * slow hook is not an error there. The simulator only guards against a hung test, generously.
 */
export function defaultHookTimeoutMs(): number {
  const fromEnv = Number(process.env["SIM_HOOK_TIMEOUT_MS"]);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 600_000;
}

const NOTHING_CAPTURED = { stdout: "", stderr: "" };

function newContext(state: State, spec: ContextSpec): HookContext {
  return {
    id: `${spec.unit}-${spec.name}-${randomBytes(16).toString("hex")}`,
    unit: spec.unit,
    kind: spec.kind,
    name: spec.name,
    relationId: spec.relationId ?? null,
    remoteUnit: spec.remoteUnit ?? "",
    remoteApp: spec.remoteApp ?? (spec.remoteUnit ? appOf(spec.remoteUnit) : ""),
    departingUnit: spec.departingUnit ?? "",
    taskId: spec.taskId ?? null,
    pending: {},
    unitStatusSet: false,
    charmState: null,
    charmStateDirty: false,
    toolCalls: [],
  };
}

interface ProcessResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The signal that ended the process, unless the simulator's guard sent it. */
  signal: NodeJS.Signals | null;
}

function spawnDispatch(
  path: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ProcessResult> {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // exec.LookPath finds a non-executable dispatch and fails the hook rather than skipping it.
    return Promise.resolve({
      exitCode: 126,
      stdout: Buffer.alloc(0),
      stderr: Buffer.from(`fork/exec ${path}: permission denied`),
      signal: null,
    });
  }
  return new Promise((resolvePromise) => {
    // Its own process group, so that the guard below also stops what the hook started.
    const child = spawn(path, [], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    let killed = "";
    const timer = setTimeout(() => {
      killed =
        `\nsimulator: hook killed after ${timeoutMs} ms (hookTimeoutMs, SIM_HOOK_TIMEOUT_MS); ` +
        "Juju itself would have let it run\n";
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    const finish = (exitCode: number, signal: NodeJS.Signals | null, extra = ""): void => {
      clearTimeout(timer);
      resolvePromise({
        exitCode,
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat([...stderr, Buffer.from(extra + killed)]),
        signal: killed === "" ? signal : null,
      });
    };
    child.on("error", (error) => finish(126, null, `fork/exec ${path}: ${error.message}`));
    child.on("close", (code, signal) =>
      finish(code ?? (signal ? 128 + signalNumber(signal) : 1), signal),
    );
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 0;
}

/** Applies the context's pending relation-set writes, with a new version for each changed bag. */
function commit(state: State, ctx: HookContext): void {
  for (const [id, pending] of Object.entries(ctx.pending)) {
    const relation = unitRelation(state, ctx.unit, Number(id));
    if (!relation) continue;
    const app = appOf(ctx.unit);
    for (const application of [false, true]) {
      const changes = application ? pending.app : pending.unit;
      const owner = application ? app : ctx.unit;
      const bags = application ? relation.appData : relation.unitData;
      const bag = (bags[owner] ??= {});
      let changed = false;
      for (const [key, value] of Object.entries(changes)) {
        if (value === "" && key in bag) {
          delete bag[key];
          changed = true;
        } else if (value !== "" && bag[key] !== value) {
          bag[key] = value;
          changed = true;
        }
      }
      if (!changed) continue;
      // A new settings version: every unit that watches this bag now owes a -changed. In a peer
      // relation that includes the leader that wrote its application's bag: each unit watches
      // the bags of its counterpart applications, and a peer's counterpart is its own
      // application (state/relationunit.go Watch, CounterpartApplications).
      relation.versions[owner] = (relation.versions[owner] ?? 0) + 1;
    }
  }
}

async function execute(paths: Paths, spec: ContextSpec): Promise<RunOutcome | "missing"> {
  const ctx = updateState(paths.dir, (state) => {
    const context = newContext(state, spec);
    state.contexts[context.id] = context;
    prepareRelationCaches(state, context);
    return context;
  });
  const state = readState(paths.dir);
  const charmDir = unitCharmDir(state, spec.unit);
  refreshCharmDir(charmDir, getApp(state, getUnit(state, spec.unit).app).charmDir);
  if (!existsSync(join(charmDir, "metadata.yaml"))) throw new Error("charm missing from disk");
  const dispatch = join(charmDir, "dispatch");
  if (!existsSync(dispatch)) {
    updateState(paths.dir, (s) => void delete s.contexts[ctx.id]);
    return "missing";
  }
  const env = hookEnv(state, ctx, paths.dir, paths.toolsDir);
  const result = await spawnDispatch(dispatch, charmDir, env, paths.hookTimeoutMs);
  // runner.go runCharmProcessOnLocal: a process ended by SIGTERM or SIGKILL is ErrTerminated.
  const terminated = result.signal === "SIGTERM" || result.signal === "SIGKILL";
  return updateState(paths.dir, (s) => {
    const final = s.contexts[ctx.id] ?? ctx;
    delete s.contexts[ctx.id];
    const { unit: who, kind, name, relationId, remoteUnit, remoteApp, departingUnit } = final;
    const entry = { unit: who, kind, name, relationId, remoteUnit, remoteApp, departingUnit };
    // Flush commits only after a clean exit (runner/context/context.go Flush), relation settings
    // and charm state in one transaction: either failing keeps neither.
    const commitError =
      result.exitCode === 0
        ? (leadershipLostAtCommit(s, final) ??
          oversizedSettings(s, final) ??
          charmStateCommitError(s, final))
        : null;
    if (result.exitCode === 0 && commitError === null) {
      commit(s, final);
      commitCharmState(s, final);
    }
    const exitCode = spec.kind === "hook" && commitError !== null ? 1 : result.exitCode;
    s.hookLog.push({ ...entry, exitCode });
    const unit = s.units[spec.unit];
    // runner.go logs a hook's or action's stdout at DEBUG and its stderr at WARNING.
    unit?.logs.push(
      ...logMessages(result.stdout, "DEBUG"),
      ...logMessages(result.stderr, "WARNING"),
    );
    if (commitError !== null) {
      unit?.logs.push({ level: "ERROR", message: `cannot apply changes: ${commitError}` });
    }
    return {
      exitCode,
      stdout: result.stdout.toString("utf8"),
      stderr: result.stderr.toString("utf8"),
      captured: { stdout: actionCapture(result.stdout), stderr: actionCapture(result.stderr) },
      toolCalls: final.toolCalls,
      skipped: false,
      terminated,
      commitError,
      unitStatusSet: final.unitStatusSet,
    };
  });
}

export async function runHookProcess(
  paths: Paths,
  unit: string,
  hook: string,
  spec: HookSpec = {},
): Promise<RunOutcome> {
  const outcome = await execute(paths, { ...spec, kind: "hook", unit, name: hook });
  return outcome === "missing" ? nothingRan() : outcome;
}

/** Juju skips a hook the charm has no dispatch for, and counts it as run. */
function nothingRan(): RunOutcome {
  return {
    exitCode: 0,
    stdout: "",
    stderr: "",
    toolCalls: [],
    skipped: true,
    captured: NOTHING_CAPTURED,
    terminated: false,
    commitError: null,
    unitStatusSet: false,
  };
}

export interface ActionOutcome extends RunOutcome {
  taskId: number;
}

/** Runs an enqueued task (already validated, defaults inserted) and finalizes it as Juju does. */
export async function runActionProcess(
  paths: Paths,
  unit: string,
  name: string,
  params: Record<string, unknown>,
): Promise<ActionOutcome> {
  const taskId = updateState(paths.dir, (state) => {
    const operation = state.nextOperationId;
    const id = operation + 1; // `juju run` numbers the operation, then its task
    state.nextOperationId = id + 1;
    state.tasks.push({
      id,
      unit,
      name,
      params,
      status: "running",
      failed: false,
      message: "",
      results: {},
      logs: [],
    });
    return id;
  });
  const outcome = await execute(paths, { kind: "action", unit, name, taskId });
  return updateState(paths.dir, (state) => {
    const task = state.tasks.find((t) => t.id === taskId)!;
    if (outcome === "missing") {
      task.status = "failed";
      task.message = `action not implemented on unit "${unit}"`;
      return { ...nothingRan(), taskId };
    }
    finalizeAction(task, outcome);
    return { ...outcome, taskId };
  });
}

/**
 * runner/context/context.go finalizeAction. The runner records return-code (the process's exit
 * code, -1 when a signal ended it: Go's ProcessState.ExitCode) and any output. action-fail
 * fails the task with its message; a failed run replaces that message with its error; and when
 * the changes of a clean run cannot be committed the task fails, the error joins stderr, and
 * return-code keeps the charm's own code: finalizeAction only replaces a missing or string "0"
 * one, and the runner stored an int.
 */
function finalizeAction(task: State["tasks"][number], outcome: RunOutcome): void {
  task.results["return-code"] = outcome.terminated ? -1 : outcome.exitCode;
  if (outcome.captured.stdout !== "") task.results["stdout"] = outcome.captured.stdout;
  if (outcome.captured.stderr !== "") task.results["stderr"] = outcome.captured.stderr;
  if (outcome.terminated) {
    task.failed = true;
    task.message = "terminated";
  } else if (outcome.exitCode !== 0) {
    task.failed = true;
    task.message = `exit status ${outcome.exitCode}`;
  } else if (outcome.commitError !== null) {
    const stderr = task.results["stderr"];
    task.results["stderr"] =
      typeof stderr === "string" ? `${stderr}\n${outcome.commitError}` : outcome.commitError;
    task.failed = true;
    if (task.message === "") task.message = "committing requested changes failed";
  }
  task.status = task.failed ? "failed" : "completed";
}
