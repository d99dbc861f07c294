// action-fail, action-log and status-set take their message as one argv element. Past Linux's
// MAX_ARG_STRLEN the exec fails with E2BIG and the message is lost, so HookTools cuts it by UTF-8
// bytes, between characters, and marks that it did.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { HookTools, type ToolRunner } from "../../src/juju/index.ts";

const MAX_ARG_STRLEN = 131072;

/** Runs each tool as a real exec of `true`, so the kernel judges the argv; keeps the argv. */
function realExec(): { runner: ToolRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: ToolRunner = (_tool, args) => {
    const result = spawnSync("true", args);
    if (result.error) {
      return { exitCode: null, stdout: "", stderr: `cannot run: ${result.error.message}` };
    }
    calls.push([...args]);
    return { exitCode: result.status, stdout: "", stderr: "" };
  };
  return { runner, calls };
}

const messages: [string, string][] = [
  ["ASCII", "x".repeat(200_000)],
  ["two-byte characters", "é".repeat(100_000)],
  ["4-byte characters across the cut", `${"a".repeat(131_050)}${"🔐".repeat(20)}`],
];

const tools: [string, (t: HookTools, message: string) => void][] = [
  ["action-fail", (t, m) => t.actionFail(m)],
  ["action-log", (t, m) => t.actionLog(m)],
  ["status-set", (t, m) => t.statusSet("blocked", m)],
];

describe("messages passed on argv are bounded", () => {
  for (const [tool, call] of tools) {
    for (const [kind, message] of messages) {
      it(`${tool} cuts a message of ${kind} past one argv element, marking the cut`, () => {
        const { runner, calls } = realExec();
        call(new HookTools(runner), message);
        assert.equal(calls.length, 1);
        const sent = calls[0]!.at(-1)!;
        assert.ok(Buffer.byteLength(sent, "utf8") < MAX_ARG_STRLEN);
        assert.match(sent, /…\[cut: longer than one argument may be\]$/);
        const kept = sent.slice(0, sent.lastIndexOf(" …[cut"));
        assert.ok(message.startsWith(kept), "the kept part is the message's start");
        assert.ok(Buffer.byteLength(kept, "utf8") > MAX_ARG_STRLEN - 100, "little is lost");
        assert.ok(!/[\ud800-\udbff]$/.test(kept), "no half surrogate pair at the cut");
      });
    }
    it(`${tool} sends a message that fits unchanged`, () => {
      const { runner, calls } = realExec();
      const message = "é".repeat(65_000);
      call(new HookTools(runner), message);
      assert.equal(calls[0]!.at(-1), message);
    });
  }
});
