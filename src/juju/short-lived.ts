import { requireBuiltin } from "./builtin.ts";
import type * as V8 from "node:v8";

/**
 * Tunes V8 for a process that lives for one hook. TurboFan recompiles hot functions on a
 * background thread, work that a process exiting a few hundred milliseconds later never earns
 * back: without it, a hook over 2,000 CSRs uses a third less CPU for the same wall time
 * (docs/benchmarks.md). Set here, after start-up, rather than on node's command line, where any
 * V8 flag makes Node refuse the code cache of its own modules and costs every hook ~8 ms.
 * Call it from the entrypoint only: it changes the whole process.
 */
export function tuneForShortLivedProcess(): void {
  requireBuiltin<typeof V8>("node:v8").setFlagsFromString("--no-opt");
}
