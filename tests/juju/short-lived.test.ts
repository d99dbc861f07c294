import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const MODULE = fileURLToPath(new URL("../../src/juju/short-lived.ts", import.meta.url));
// V8's OptimizationStatus bit for code compiled by TurboFan.
const TURBOFANNED = 64;

/** Runs a hot function in a fresh Node, tuned or not, and returns V8's status bits for it. */
function optimizationStatus(tuned: boolean): { status: number; stderr: string } {
  const script = `
    import { tuneForShortLivedProcess } from ${JSON.stringify(MODULE)};
    if (${tuned}) tuneForShortLivedProcess();
    function hot(x) { let s = 0; for (let i = 0; i < 100; i++) s += (x * i) % 7; return s; }
    for (let i = 0; i < 200000; i++) hot(i);
    console.log("status=" + %GetOptimizationStatus(hot));
  `;
  const run = spawnSync(
    process.execPath,
    ["--allow-natives-syntax", "--import", "tsx", "--input-type=module", "-e", script],
    { encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  return { status: Number(/status=(\d+)/.exec(run.stdout)?.[1]), stderr: run.stderr };
}

describe("tuneForShortLivedProcess", () => {
  it("keeps TurboFan from compiling hot functions, which it does otherwise", () => {
    assert.notEqual(optimizationStatus(false).status & TURBOFANNED, 0, "control: TurboFan ran");
    const tuned = optimizationStatus(true);
    assert.equal(tuned.status & TURBOFANNED, 0);
    // A flag this Node does not know would put "unrecognized flag" on every hook's stderr.
    assert.equal(tuned.stderr, "");
  });
});
