// Test helpers: a private copy of the shell-charm fixture per test, and a way to run a list of
// hook-tool calls from inside a real hook and read back each call's stdout, stderr and exit code.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Simulator, type ActionRun, type HookRun, type HookSpec } from "../simulator/index.ts";

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "../simulator/fixtures/shell-charm");

export const shq = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

export function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "shell-charm-"));
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, "scripts"), { recursive: true });
  return dir;
}

/** scripts/<name>.sh runs for the hook or action called name ("any" for every one). */
export function writeScript(charmDir: string, name: string, body: string): void {
  writeFileSync(join(charmDir, "scripts", `${name}.sh`), body);
}

export function removeScript(charmDir: string, name: string): void {
  rmSync(join(charmDir, "scripts", `${name}.sh`), { force: true });
}

export interface Call {
  argv: string[];
  stdin?: string;
}

export interface CallResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Shell that runs each call, saving its output under outDir/<n>.{out,err,rc}. */
export function callsScript(calls: (Call | string[])[], outDir: string): string {
  return calls
    .map((call, i) => {
      const { argv, stdin } = Array.isArray(call) ? { argv: call, stdin: undefined } : call;
      const base = shq(join(outDir, String(i)));
      const command = argv.map(shq).join(" ");
      const piped = stdin === undefined ? command : `printf '%s' ${shq(stdin)} | ${command}`;
      return `${piped} >${base}.out 2>${base}.err; echo $? >${base}.rc\n`;
    })
    .join("");
}

export function readCalls(outDir: string, count: number): CallResult[] {
  return Array.from({ length: count }, (_, i) => ({
    code: Number(readFileSync(join(outDir, `${i}.rc`), "utf8").trim()),
    stdout: readFileSync(join(outDir, `${i}.out`), "utf8"),
    stderr: readFileSync(join(outDir, `${i}.err`), "utf8"),
  }));
}

export interface Fixture {
  sim: Simulator;
  charm: string;
}

export interface Deployed extends Fixture {
  /** The unit that won the lease, which the seed decides. */
  leader: string;
  /** The lowest-numbered other unit ("" when there is none). */
  follower: string;
}

/** A fresh model with the fixture deployed as `app` (2 units unless told otherwise). */
export async function deployed(units = 2, app = "app"): Promise<Deployed> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy(app, charm, { units });
  const leader = sim.leader(app);
  if (leader === null) throw new Error(`${app} has no leader after deploy`);
  const follower = Array.from({ length: units }, (_, i) => `${app}/${i}`).find((u) => u !== leader);
  return { sim, charm, leader, follower: follower ?? "" };
}

/** Runs the calls inside `hook` on `unit` and returns each call's result. */
export async function inHook(
  fx: Fixture,
  unit: string,
  hook: string,
  calls: (Call | string[])[],
  spec: HookSpec = {},
): Promise<{ run: HookRun; results: CallResult[] }> {
  const out = mkdtempSync(join(tmpdir(), "calls-"));
  writeScript(fx.charm, hook, callsScript(calls, out));
  try {
    const run = await fx.sim.runHook(unit, hook, spec);
    return { run, results: readCalls(out, calls.length) };
  } finally {
    removeScript(fx.charm, hook);
  }
}

/** One call inside a hook; the shorthand most tool tests use. */
export async function call(
  fx: Fixture,
  unit: string,
  argv: string[],
  options: { hook?: string; spec?: HookSpec; stdin?: string } = {},
): Promise<CallResult> {
  const { results } = await inHook(
    fx,
    unit,
    options.hook ?? "update-status",
    [{ argv, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) }],
    options.spec,
  );
  return results[0]!;
}

/** Runs the calls (then `tail`, raw shell) inside the action and returns each call's result. */
export async function inAction(
  fx: Fixture,
  unit: string,
  action: string,
  params: Record<string, unknown> | string[],
  calls: (Call | string[])[],
  tail = "",
): Promise<{ run: ActionRun; results: CallResult[] }> {
  const out = mkdtempSync(join(tmpdir(), "calls-"));
  writeScript(fx.charm, action, callsScript(calls, out) + tail);
  try {
    const run = await fx.sim.runAction(unit, action, params);
    return { run, results: readCalls(out, calls.length) };
  } finally {
    removeScript(fx.charm, action);
  }
}
