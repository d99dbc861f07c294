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

  it("drops a line nobody reads any more instead of failing the process", () => {
    const script = `
      import { processOutput } from ${JSON.stringify(MODULE)};
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      processOutput.stdout("into a closed pipe\\n");
      process.exitCode = 7;
    `;
    // `true` exits at once, so the write meets a pipe with no reader (EPIPE).
    const run = spawnSync(
      "bash",
      [
        "-c",
        'set -o pipefail; "$0" --import tsx --input-type=module -e "$1" | true',
        process.execPath,
        script,
      ],
      { encoding: "utf8" },
    );
    assert.equal(run.status, 7, run.stderr);
    assert.equal(run.stderr, "");
  });
});
