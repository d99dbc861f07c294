import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePemBlocks, toPem } from "../../src/x509/pem.ts";

// A bundle of a thousand certificates comes through provide-certificates in one parameter.
function bundle(blocks: number): string {
  const one = toPem("CERTIFICATE", Buffer.alloc(600, 7));
  return Array.from({ length: blocks }, () => one).join("\n");
}

/**
 * CPU time, not wall time: other processes on a loaded machine do not count, and the sizes below
 * are far enough apart (16x) that linear (about 16x) and quadratic (about 256x) cannot be confused.
 */
function medianCpuMs(run: () => void): number {
  const times = Array.from({ length: 3 }, () => {
    const started = process.cpuUsage();
    run();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  });
  return times.sort((a, b) => a - b)[1]!;
}

describe("PEM bundles", () => {
  it("are read in time linear in their size: sixteen times the blocks, well under 48 times the CPU", () => {
    const small = bundle(500);
    const large = bundle(8000);
    parsePemBlocks(small); // warm the JIT
    const ratio =
      medianCpuMs(() => parsePemBlocks(large)) / medianCpuMs(() => parsePemBlocks(small));
    assert.ok(ratio < 48, `16× the blocks took ${ratio.toFixed(1)}× the CPU time`);
  });

  it("still name the line of a bad block", () => {
    const text = `${bundle(3)}\n-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----`;
    assert.throws(
      () => parsePemBlocks(text),
      /block 4 \(CERTIFICATE, line 46\) is not valid base64/,
    );
  });
});
