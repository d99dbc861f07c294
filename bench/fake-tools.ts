// Hook tools that cost about a millisecond: one POSIX sh script, linked under every tool name,
// that prints a canned answer (a file whose path is the argv) and logs its argv. Answers are
// taken from the simulator's state, so a dispatch sees the same model either way; the bench
// checks that both runs make the same calls. The real charm process runs unchanged: only the
// cost of a tool changes, so what is left is the charm's own time.
import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { effectiveConfig } from "../tests/simulator/model.ts";
import type { State } from "../tests/simulator/state.ts";
import { CHARM_DIR } from "./model.ts";

const READ_TOOLS = [
  "relation-ids",
  "relation-list",
  "relation-get",
  "is-leader",
  "config-get",
  "state-get",
];
const WRITE_TOOLS = [
  "relation-set",
  "status-set",
  "juju-log",
  "action-set",
  "action-fail",
  "action-log",
  "application-version-set",
  "state-set",
  "state-delete",
];

// \036 ends a call, \037 separates its arguments: juju-log messages hold newlines.
const SCRIPT = `#!/bin/sh
tool="\${0##*/}"
printf '%s\\037' "$tool" "$@" >> "$BENCH_TOOL_LOG"
printf '\\036' >> "$BENCH_TOOL_LOG"
case "$tool" in
  action-get) exec cat "$BENCH_ACTION_PARAMS" ;;
  relation-set|state-set) exec cat > /dev/null ;;
  ${WRITE_TOOLS.filter((t) => !["relation-set", "state-set"].includes(t)).join("|")}) exit 0 ;;
esac
p="$BENCH_ANSWERS/$tool"
for a in "$@"; do p="$p/$a"; done
[ -f "$p/stdout" ] && exec cat "$p/stdout"
echo "ERROR no canned answer for $tool $*" >&2
exit 2
`;

export interface FakeTools {
  readonly dir: string;
  readonly binDir: string;
  /** Writes the answers a unit's reads get from this state; returns the answers directory. */
  answer(state: State, unit: string, name: string): string;
  cleanup(): void;
}

export function fakeTools(): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), "bench-tools-"));
  const binDir = join(dir, "bin");
  mkdirSync(binDir);
  // The unit's own charm directory, where a charm may keep files (the signing policy's), with
  // the charm's code linked in as Juju's copy would hold it.
  mkdirSync(join(dir, "charm"));
  symlinkSync(join(CHARM_DIR, "dist"), join(dir, "charm", "dist"));
  const script = join(dir, "tool.sh");
  writeFileSync(script, SCRIPT);
  chmodSync(script, 0o755);
  for (const tool of [...READ_TOOLS, ...WRITE_TOOLS, "action-get"]) {
    symlinkSync(script, join(binDir, tool));
  }
  return {
    dir,
    binDir,
    answer: (state, unit, name) => writeAnswers(state, unit, join(dir, "answers", name)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function put(root: string, argv: readonly string[], stdout: string): void {
  const path = join(root, ...argv);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "stdout"), stdout);
}

/** What the simulator's tools would answer this unit, in the argv forms the charm uses. */
function writeAnswers(state: State, unit: string, root: string): string {
  const app = unit.slice(0, unit.lastIndexOf("/"));
  const json = (value: unknown): string => `${JSON.stringify(value)}\n`;
  put(root, ["is-leader", "--format=json"], json(state.applications[app]?.leader === unit));
  const application = state.applications[app];
  const config = application ? effectiveConfig(application) : {};
  const shown = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
  put(root, ["config-get", "--format=json"], json(shown));
  const kept = state.units[unit]?.charmState ?? {};
  put(root, ["state-get", "--format=json"], json(Object.keys(kept).length > 0 ? kept : null));
  const byEndpoint = new Map<string, string[]>(
    Object.keys(state.applications[app]?.endpoints ?? {}).map((endpoint) => [endpoint, []]),
  );
  for (const relation of state.relations) {
    const view = relation.views[unit];
    const local = relation.ends.find((end) => end.app === app);
    const remote = relation.ends.find((end) => end.app !== app) ?? relation.ends[0];
    if (!view || !local) continue;
    const ids = byEndpoint.get(local.endpoint) ?? [];
    ids.push(`${local.endpoint}:${relation.id}`);
    byEndpoint.set(local.endpoint, ids);
    const r = String(relation.id);
    put(root, ["relation-list", "--format=json", "-r", r], json(Object.keys(view.members).sort()));
    put(root, ["relation-list", "--format=json", "--app", "-r", r], json(remote.app));
    for (const [owner, bag] of Object.entries(relation.unitData)) {
      put(root, ["relation-get", "--format=json", "-r", r, "-", owner], json(bag));
    }
    for (const owner of [app, remote.app]) {
      const bag = relation.appData[owner] ?? {};
      put(root, ["relation-get", "--format=json", "-r", r, "--app", "-", owner], json(bag));
    }
  }
  for (const [endpoint, ids] of byEndpoint) {
    put(root, ["relation-ids", endpoint, "--format=json"], json(ids.sort()));
  }
  return root;
}

export interface EventSpec {
  readonly unit: string;
  /** "update-status", "certificates-relation-changed", ...; or an action name with action set. */
  readonly name: string;
  readonly relationId?: number;
  readonly remoteUnit?: string;
  readonly remoteApp?: string;
  readonly action?: { readonly params: Record<string, unknown> };
}

export interface FakeRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  readonly toolCalls: string[][];
  /** What the probe (or the in-process entry) wrote at exit, when one ran. */
  readonly probe?: Readonly<Record<string, number>>;
}

export interface FakeRunOptions {
  /** Load bench/probe.mjs into the charm process to read its CPU time at exit. */
  readonly probe?: boolean;
  /** Run this instead of the charm's dispatch (it may write $BENCH_PROBE_OUT). */
  readonly command?: readonly string[];
}

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const PROBE = join(CHARM_DIR, "bench/probe.mjs");

let runCounter = 0;

/** One dispatch of the real charm against the fake tools; resolves when the process has exited. */
export function runFake(
  tools: FakeTools,
  answers: string,
  event: EventSpec,
  options: FakeRunOptions = {},
): Promise<FakeRun> {
  const n = ++runCounter;
  const log = join(tools.dir, `calls-${n}`);
  const params = join(tools.dir, `params-${n}.json`);
  const probeOut = join(tools.dir, `probe-${n}.json`);
  writeFileSync(log, "");
  writeFileSync(params, `${JSON.stringify(event.action?.params ?? {})}\n`);
  const env: Record<string, string> = {
    JUJU_DISPATCH_PATH: event.action ? `actions/${event.name}` : `hooks/${event.name}`,
    JUJU_HOOK_NAME: event.action ? "" : event.name,
    JUJU_UNIT_NAME: event.unit,
    JUJU_MODEL_NAME: "bench",
    JUJU_MODEL_UUID: "00000000-0000-4000-8000-000000000000",
    JUJU_CHARM_DIR: join(tools.dir, "charm"),
    CHARM_DIR,
    JUJU_CONTEXT_ID: `${event.unit}-${event.name}-${n}`,
    JUJU_VERSION: "3.6.4",
    LANG: "C.UTF-8",
    PATH: `${tools.binDir}:${SYSTEM_PATH}:${dirname(process.execPath)}`,
    BENCH_ANSWERS: answers,
    BENCH_TOOL_LOG: log,
    BENCH_ACTION_PARAMS: params,
  };
  if (event.relationId !== undefined) {
    env["JUJU_RELATION"] = "certificates";
    env["JUJU_RELATION_ID"] = `certificates:${event.relationId}`;
    env["JUJU_REMOTE_UNIT"] = event.remoteUnit ?? "";
    env["JUJU_REMOTE_APP"] = event.remoteApp ?? "";
  }
  if (event.action) {
    env["JUJU_ACTION_NAME"] = event.name;
    env["JUJU_ACTION_UUID"] = String(n);
    env["JUJU_ACTION_TAG"] = `action-${n}`;
  }
  if (options.probe) env["NODE_OPTIONS"] = `--import=${PROBE}`;
  if (options.probe || options.command) env["BENCH_PROBE_OUT"] = probeOut;
  const [file, ...args] = options.command ?? [join(CHARM_DIR, "dispatch")];
  return new Promise((resolveRun, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file!, args, { cwd: CHARM_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const probe = options.probe || options.command ? readProbe(probeOut) : undefined;
      resolveRun({
        exitCode: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        wallMs,
        toolCalls: parseLog(readFileSync(log, "utf8")),
        ...(probe ? { probe } : {}),
      });
      rmSync(log, { force: true });
      rmSync(params, { force: true });
      rmSync(probeOut, { force: true });
    });
  });
}

function readProbe(path: string): Record<string, number> | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, number>;
  } catch {
    return undefined;
  }
}

function parseLog(text: string): string[][] {
  return text
    .split("\x1e")
    .filter((record) => record !== "")
    .map((record) => record.split("\x1f").slice(0, -1));
}
