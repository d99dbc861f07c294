import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { writeFully, type WriteSync } from "../../src/juju/output.ts";

const MODULE = fileURLToPath(new URL("../../src/juju/output.ts", import.meta.url));
const BIG = "é".repeat(150000);

function childScript(body: string): string {
  return `import { processOutput } from ${JSON.stringify(MODULE)};\n${body}`;
}

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe("writeFully", () => {
  it("waits out a full non-blocking pipe (EAGAIN) and writes every byte in order", () => {
    const written: Buffer[] = [];
    let calls = 0;
    const write: WriteSync = (_fd, bytes, offset) => {
      calls++;
      if (calls === 2 || calls === 3) throw errno("EAGAIN");
      const part = Buffer.from(bytes.subarray(offset, offset + 1000));
      written.push(part);
      return part.length;
    };
    const text = `${"é".repeat(1500)}\n`;
    writeFully(1, text, write);
    assert.equal(Buffer.concat(written).toString("utf8"), text);
    assert.equal(calls, 6);
  });

  it("drops the rest when nobody reads any more (EPIPE), without throwing", () => {
    let calls = 0;
    const write: WriteSync = () => {
      calls++;
      throw errno("EPIPE");
    };
    assert.doesNotThrow(() => writeFully(1, "lost\n", write));
    assert.equal(calls, 1);
  });
});

describe("processOutput", () => {
  it("writes whole texts, in order, to the process's stdout and stderr", () => {
    const script = childScript(`
      processOutput.stdout("é".repeat(150000) + "\\n");
      processOutput.stderr("ERROR something\\n");
      processOutput.stdout("last\\n");
    `);
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout === `${BIG}\nlast\n`, "stdout differs");
    assert.equal(run.stderr, "ERROR something\n");
  });

  it("keeps the order on a non-blocking pipe whose reader is slow", async () => {
    // Touching process.stdout makes the pipe non-blocking, so writes meet EAGAIN while the
    // parent is not reading.
    const script = childScript(`
      void process.stdout;
      processOutput.stdout("é".repeat(150000) + "\\n");
      processOutput.stdout("last\\n");
    `);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout.pause();
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    setTimeout(() => {
      child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
    }, 300);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0, stderr);
    assert.ok(Buffer.concat(chunks).toString("utf8") === `${BIG}\nlast\n`, "stdout differs");
  });

  it("drops a line nobody reads any more instead of failing the process", () => {
    const script = childScript(`
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      processOutput.stdout("into a closed pipe\\n");
      process.exitCode = 7;
    `);
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
