// `npm run mutants`: breaks the charm on purpose, one mutant at a time, in a scratch copy of the
// repository, and checks that the test files named for each mutant notice. A development tool,
// not part of `npm test` or CI: run it after changing a check, or when adding one.
//
//   npm run mutants                      every mutant
//   npm run mutants -- --only=C01,X03    some of them
//   npm run mutants -- --list            the list, checked for stale `find` texts, nothing run
//   npm run mutants -- --no-baseline     skip the first run of the named files on the intact copy
//
// The last line says `killed N of M`, followed, when N < M, by the ids that survived, went stale
// (their `find` text is gone or not unique) or broke the build. The exit code is 0 only when
// every mutant was killed.
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { MUTANTS, type Mutant } from "./mutants.ts";

const ROOT = resolve(import.meta.dirname, "../..");
/** Generated or heavy: rebuilt in the copy, or linked. */
const NOT_COPIED = new Set(["node_modules", ".git", "dist", "build", ".sim", "coverage"]);
/** A mutant that hangs the tests counts as killed once this has passed. */
const TIMEOUT_MS = 10 * 60_000;

type Outcome =
  | { kind: "killed"; by: string; ms: number }
  | { kind: "survived"; ms: number }
  | { kind: "stale"; reason: string }
  | { kind: "broken"; reason: string };

const args = process.argv.slice(2);
const only = args
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const listOnly = args.includes("--list");
const baseline = !args.includes("--no-baseline");
const chosen = only ? MUTANTS.filter((mutant) => only.includes(mutant.id)) : MUTANTS;
if (only && chosen.length !== only.length) {
  console.error(`unknown mutant id among: ${only.join(", ")}`);
  process.exit(2);
}

/** Why the mutant cannot be applied to the source under root, or undefined when it can. */
function staleness(mutant: Mutant, root: string): string | undefined {
  const path = join(root, mutant.file);
  if (!existsSync(path)) return `${mutant.file} does not exist`;
  const count = readFileSync(path, "utf8").split(mutant.find).length - 1;
  return count === 1 ? undefined : `find text occurs ${count} times in ${mutant.file} (want 1)`;
}

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "mutants-"));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (source) => !(NOT_COPIED.has(basename(source)) && resolve(source, "..") === ROOT),
  });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, ".tmp"));
  return dir;
}

/** Runs a command in the copy; resolves with its exit code and output. */
function run(
  dir: string,
  command: string[],
  onLine?: (line: string) => boolean,
): Promise<{ code: number | null; output: string; stoppedEarly: boolean; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: dir,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      // Simulator models and other temp files land in the copy and go with it.
      env: { ...process.env, TMPDIR: join(dir, ".tmp") },
    });
    let output = "";
    let pending = "";
    let stoppedEarly = false;
    let timedOut = false;
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      if (!stoppedEarly && onLine && lines.some(onLine)) {
        stoppedEarly = true;
        stop();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString("utf8")));
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output, stoppedEarly, timedOut });
    });
  });
}

const FAILED_TEST = /^\s*not ok \d+ - (.*)$/;

const testCommand = (files: readonly string[]) => [
  process.execPath,
  "--import",
  "tsx",
  "--test",
  "--test-reporter=tap",
  ...files,
];

/** The named files must pass on the intact copy, or a "killed" would mean nothing. */
async function checkBaseline(dir: string, mutants: readonly Mutant[]): Promise<boolean> {
  const files = [...new Set(mutants.flatMap((mutant) => mutant.tests))];
  const build = await run(dir, [process.execPath, "scripts/build.mjs"]);
  const tests = build.code === 0 ? await run(dir, testCommand(files)) : build;
  if (tests.code === 0) return true;
  const failed = tests.output.split("\n").filter((line) => FAILED_TEST.test(line));
  console.error(`the intact copy fails already; fix that first:\n${failed.join("\n")}`);
  return false;
}

async function tryMutant(dir: string, mutant: Mutant): Promise<Outcome> {
  const path = join(dir, mutant.file);
  const stale = staleness(mutant, dir);
  if (stale) return { kind: "stale", reason: stale };
  const original = readFileSync(path, "utf8");
  writeFileSync(
    path,
    original.replace(mutant.find, () => mutant.replace),
  );
  const started = Date.now();
  try {
    const build = await run(dir, [process.execPath, "scripts/build.mjs"]);
    if (build.code !== 0) {
      return { kind: "broken", reason: `the build fails:\n${build.output.slice(-2000)}` };
    }
    // One file at a time, in the order listed: node --test sorts the files it is given, and the
    // fast files are listed first so that most mutants die in seconds.
    for (const file of mutant.tests) {
      let by = "";
      const tests = await run(
        dir,
        testCommand([file]),
        // The first failing test is enough: stop there rather than run the rest.
        (line) => {
          const failed = FAILED_TEST.exec(line);
          if (failed) by = failed[1] ?? "";
          return failed !== null;
        },
      );
      const ms = Date.now() - started;
      if (tests.timedOut) {
        return { kind: "killed", by: `${file}: timeout after ${TIMEOUT_MS / 1000}s`, ms };
      }
      if (tests.stoppedEarly || tests.code !== 0) {
        return { kind: "killed", by: `${file}: ${by || `exit code ${tests.code}`}`, ms };
      }
    }
    return { kind: "survived", ms: Date.now() - started };
  } finally {
    writeFileSync(path, original);
  }
}

const pad = (text: string, width: number) => text.padEnd(width);

function describeOutcome(mutant: Mutant, outcome: Outcome): string {
  const head = `${pad(outcome.kind, 8)} ${pad(mutant.id, 4)} ${mutant.file}: ${mutant.defect}`;
  switch (outcome.kind) {
    case "killed":
      return `${head}\n         ${(outcome.ms / 1000).toFixed(1)}s, by "${outcome.by}"`;
    case "survived":
      return `${head}\n         ${(outcome.ms / 1000).toFixed(1)}s; no failure in ${mutant.tests.join(" ")}`;
    case "stale":
    case "broken":
      return `${head}\n         ${outcome.reason}`;
  }
}

async function main(): Promise<number> {
  const ids = new Set<string>();
  for (const mutant of MUTANTS) {
    if (ids.has(mutant.id)) throw new Error(`mutant id ${mutant.id} is used twice`);
    ids.add(mutant.id);
  }
  if (listOnly) {
    let stale = 0;
    for (const mutant of chosen) {
      const reason = staleness(mutant, ROOT);
      if (reason) stale += 1;
      console.log(
        `${pad(reason ? "stale" : "ok", 6)} ${pad(mutant.id, 4)} ${mutant.file}: ${mutant.defect}`,
      );
      if (reason) console.log(`       ${reason}`);
    }
    console.log(`${chosen.length} mutants, ${stale} stale`);
    return stale > 0 ? 1 : 0;
  }
  const dir = scratchCopy();
  console.log(`${chosen.length} mutants, in a copy at ${dir}`);
  const byKind: Record<Outcome["kind"], string[]> = {
    killed: [],
    survived: [],
    stale: [],
    broken: [],
  };
  try {
    if (baseline && !(await checkBaseline(dir, chosen))) return 2;
    for (const mutant of chosen) {
      const outcome = await tryMutant(dir, mutant);
      byKind[outcome.kind].push(mutant.id);
      console.log(describeOutcome(mutant, outcome));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(summary(byKind, chosen.length));
  return byKind.killed.length === chosen.length ? 0 : 1;
}

/** The last line of a run: `killed N of N`, then which were not killed and why. */
function summary(byKind: Readonly<Record<Outcome["kind"], string[]>>, total: number): string {
  const notKilled = (["survived", "stale", "broken"] as const)
    .filter((kind) => byKind[kind].length > 0)
    .map((kind) => `${kind}: ${byKind[kind].join(", ")}`);
  const line = `killed ${byKind.killed.length} of ${total}`;
  return notKilled.length === 0 ? line : `${line}; ${notKilled.join("; ")}`;
}

process.exitCode = await main();
