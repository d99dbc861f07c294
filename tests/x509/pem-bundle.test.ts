import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { describe, it } from "node:test";
import { parsePemBlocks, toPem } from "../../src/x509/pem.ts";

// A bundle of a thousand certificates comes through provide-certificates in one parameter.
function bundle(blocks: number): string {
  const one = toPem("CERTIFICATE", Buffer.alloc(600, 7));
  return Array.from({ length: blocks }, () => one).join("\n");
}

function medianMs(run: () => void): number {
  const times = Array.from({ length: 5 }, () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[2]!;
}

describe("PEM bundles", () => {
  it("are read in time linear in their size: four times the blocks, well under eight times the time", () => {
    const small = bundle(1000);
    const large = bundle(4000);
    parsePemBlocks(small); // warm the JIT
    const ratio = medianMs(() => parsePemBlocks(large)) / medianMs(() => parsePemBlocks(small));
    assert.ok(ratio < 8, `4× the blocks took ${ratio.toFixed(1)}× the time`);
  });

  it("still name the line of a bad block", () => {
    const text = `${bundle(3)}\n-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----`;
    assert.throws(
      () => parsePemBlocks(text),
      /block 4 \(CERTIFICATE, line 46\) is not valid base64/,
    );
  });
});
