import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { HookTools, type ToolRunner } from "../../src/juju/index.ts";

// Linux's MAX_ARG_STRLEN (32 pages): the most one argv element may take, its NUL included.
const MAX_ARG_STRLEN = 131072;

/** Runs each juju-log call as a real exec of `true`, so the kernel judges the argv sizes. */
function realExec(): { runner: ToolRunner; messages: string[] } {
  const messages: string[] = [];
  const runner: ToolRunner = (_tool, args) => {
    const result = spawnSync("true", args);
    if (result.error) {
      return { exitCode: null, stdout: "", stderr: `cannot run juju-log: ${result.error.message}` };
    }
    messages.push(args[args.length - 1] ?? "");
    return { exitCode: result.status, stdout: "", stderr: "" };
  };
  return { runner, messages };
}

function assertEveryElementFits(args: readonly string[]): void {
  for (const arg of args) {
    assert.ok(
      Buffer.byteLength(arg, "utf8") + 1 <= MAX_ARG_STRLEN,
      `argv element of ${Buffer.byteLength(arg, "utf8")} bytes`,
    );
  }
}

describe("juju-log and the kernel's argv limit", () => {
  const cases: [string, string][] = [
    ["65,536 two-byte characters", "é".repeat(65_536)],
    ["4-byte emoji", "🔐".repeat(40_000)],
    ["ASCII exactly at the limit", "x".repeat(MAX_ARG_STRLEN - 1)],
    ["ASCII one byte over the limit", "x".repeat(MAX_ARG_STRLEN)],
    ["mixed widths crossing the cut", `${"a".repeat(131_070)}€🔐é${"b".repeat(10)}`],
  ];

  for (const [name, message] of cases) {
    it(`logs ${name} with every argv element under MAX_ARG_STRLEN, text intact`, () => {
      const { runner, messages } = realExec();
      const tools = new HookTools((tool, args, stdin) => {
        assertEveryElementFits(args);
        return runner(tool, args, stdin);
      });
      tools.jujuLog("INFO", message);
      assert.equal(messages.join(""), message);
      // No chunk may split a character: each one is whole UTF-8 on its own.
      for (const chunk of messages) {
        assert.equal(Buffer.from(chunk, "utf8").toString("utf8"), chunk);
        assert.ok(!/[\ud800-\udbff]$/.test(chunk), "a chunk ends in half a surrogate pair");
      }
    });
  }

  it("the kernel refuses an argv element of 131,072 bytes plus its NUL (E2BIG)", () => {
    const result = spawnSync("true", ["é".repeat(65_536)]);
    assert.equal((result.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");
  });
});
