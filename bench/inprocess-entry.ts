// The charm's dispatch with hook tools that cost nothing: the canned answers the fake tools
// print are loaded into memory first, then the real router runs with a runner that looks them
// up. Bundled like dist/charm.mjs and run as a fresh process per dispatch, so the JIT is as cold
// as under Juju. It reports the charm's own work with no tool process at all.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createCharm } from "../src/charm/charm.ts";
import type { ToolRunner } from "../src/juju/hook-tools.ts";
import { tuneForShortLivedProcess } from "../src/juju/short-lived.ts";

const loadedMs = performance.now();
// Kept as Buffers, outside the V8 heap, and decoded per call as a real tool's stdout is: the
// heap then holds what the charm holds, and its GC costs what the charm's would.
const answers = new Map<string, Buffer>();

function preload(dir: string, argv: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) preload(join(dir, entry.name), [...argv, entry.name]);
    else answers.set(argv.join("/"), readFileSync(join(dir, entry.name)));
  }
}
preload(process.env["BENCH_ANSWERS"] ?? "", []);
const params = readFileSync(process.env["BENCH_ACTION_PARAMS"] ?? "", "utf8");

let calls = 0;
const canned: ToolRunner = (tool, args) => {
  calls++;
  if (tool === "action-get") return { exitCode: 0, stdout: params, stderr: "" };
  // Writes (relation-set, status-set, juju-log, action-*) have no answer and need none.
  const stdout = answers.get([tool, ...args].join("/"))?.toString("utf8") ?? "";
  return { exitCode: 0, stdout, stderr: "" };
};

const cpuBefore = process.cpuUsage();
const started = performance.now();
const exitCode = await createCharm().dispatch(process.env, canned, {
  beforeHandler: tuneForShortLivedProcess, // as src/main.ts does
});
const handlerMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
writeFileSync(
  process.env["BENCH_PROBE_OUT"] ?? "/dev/null",
  JSON.stringify({
    exitCode,
    calls,
    loadedMs,
    handlerMs,
    handlerCpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
