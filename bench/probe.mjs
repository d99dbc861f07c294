// Loaded into the charm process with NODE_OPTIONS=--import: at exit, the process's own CPU time
// (user + system, its children excluded) and its age, for the bench to read.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  const out = process.env.BENCH_PROBE_OUT;
  if (out)
    writeFileSync(
      out,
      JSON.stringify({ cpuMs: (user + system) / 1000, lifeMs: performance.now() }),
    );
});
