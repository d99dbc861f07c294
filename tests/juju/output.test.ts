import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const MODULE = fileURLToPath(new URL("../../src/juju/output.ts", import.meta.url));

describe("processOutput", () => {
  it("writes whole texts to the process's stdout and stderr, beyond a pipe's buffer", () => {
    const script = `
      import { processOutput } from ${JSON.stringify(MODULE)};
      processOutput.stdout("é".repeat(150000) + "\\n");
      processOutput.stderr("ERROR something\\n");
      processOutput.stdout("last\\n");
    `;
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${"é".repeat(150000)}\nlast\n`);
    assert.equal(run.stderr, "ERROR something\n");
  });
});
