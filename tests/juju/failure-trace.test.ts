import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EventRouter } from "../../src/juju/index.ts";
import { fail, fakeTools, hookEnv, ok, type RecordedCall } from "./fake-tools.ts";

// Juju logs a hook's stdout at DEBUG and its stderr at WARNING
// (internal/worker/uniter/runner/runner.go, runCharmProcessOnLocal); a model's default
// logging-config is <root>=INFO, so only ERROR/WARNING juju-log lines and stderr show by default.

function juju(jujuLogWorks = true) {
  return fakeTools((tool) => {
    if (tool === "is-leader") return ok(true);
    if (tool === "action-get") return ok({});
    if (tool === "juju-log" && !jujuLogWorks) return fail(1, "cannot connect to the unit agent");
    return undefined;
  });
}

function captured() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output = {
    stdout: (text: string) => void stdout.push(text),
    stderr: (text: string) => void stderr.push(text),
  };
  return { output, stdout, stderr };
}

const logAt = (calls: RecordedCall[], level: string) =>
  calls
    .filter((call) => call.tool === "juju-log" && call.args[1] === level)
    .map((call) => call.args[3] ?? "")
    .join("\n");

function throwsFromHere(message: string): never {
  throw new Error(message);
}

describe("a failed hook's stack trace reaches juju debug-log at the default level", () => {
  it("logs the stack frames of a failed hook at ERROR through juju-log, not on stdout", async () => {
    const { runner, calls } = juju();
    const { output, stdout } = captured();
    const router = new EventRouter({ output }).observe("update-status", () => {
      throwsFromHere("boom");
    });
    assert.equal(await router.dispatch(hookEnv("hooks/update-status"), runner), 1);
    const errors = logAt(calls, "ERROR");
    assert.match(errors, /update-status failed: boom/);
    assert.match(errors, /at throwsFromHere \(.*failure-trace\.test\.ts:\d+:\d+\)/);
    assert.ok(!stdout.join("").includes("throwsFromHere"), "the trace went to stdout (DEBUG)");
    assert.equal(logAt(calls, "DEBUG"), "");
  });

  it("writes the trace to stderr when juju-log itself fails", async () => {
    const { runner } = juju(false);
    const { output, stderr } = captured();
    const router = new EventRouter({ output }).observe("update-status", () => {
      throwsFromHere("boom");
    });
    assert.equal(await router.dispatch(hookEnv("hooks/update-status"), runner), 1);
    const text = stderr.join("");
    assert.match(text, /update-status failed: boom/);
    assert.match(text, /at throwsFromHere \(/);
    assert.match(text, /cannot write to the Juju log/);
  });

  it("keeps the trace's frames only, so the error text (which may quote input) is logged once", async () => {
    const { runner, calls } = juju();
    const router = new EventRouter({ output: captured().output }).observe("update-status", () => {
      throwsFromHere("value s3cr3t is bad");
    });
    await router.dispatch(hookEnv("hooks/update-status"), runner);
    const errors = logAt(calls, "ERROR");
    assert.equal(errors.split("s3cr3t").length - 1, 1);
  });

  it("bounds the trace of a very deep stack", async () => {
    const { runner, calls } = juju();
    const previous = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    const deep = (n: number): never => (n === 0 ? throwsFromHere("deep") : deep(n - 1));
    const router = new EventRouter({ output: captured().output }).observe("update-status", () =>
      deep(2000),
    );
    try {
      await router.dispatch(hookEnv("hooks/update-status"), runner);
    } finally {
      Error.stackTraceLimit = previous;
    }
    const errors = logAt(calls, "ERROR");
    assert.match(errors, /at throwsFromHere/);
    assert.ok(Buffer.byteLength(errors) < 16 * 1024, `${Buffer.byteLength(errors)} bytes`);
    assert.match(errors, /more frames/);
  });

  it("logs the trace of an action's unexpected error at ERROR too", async () => {
    const { runner, calls } = juju();
    const router = new EventRouter({ output: captured().output }).observeAction("a", () => {
      throwsFromHere("oops");
    });
    assert.equal(await router.dispatch(hookEnv("actions/a"), runner), 0);
    assert.match(logAt(calls, "ERROR"), /at throwsFromHere \(/);
  });
});
