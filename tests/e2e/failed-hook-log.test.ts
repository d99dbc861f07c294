// A failed hook must be diagnosable from `juju debug-log` with a model's default logging-config,
// <root>=INFO (juju/juju environs/config: TestLoggingConfigDefaults). Juju logs a hook's stdout
// at DEBUG and its stderr at WARNING (internal/worker/uniter/runner/runner.go).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OPERATOR, deployModel } from "./harness.ts";

const VISIBLE_BY_DEFAULT = new Set(["INFO", "WARNING", "ERROR", "CRITICAL"]);

describe("a failed hook through the real dispatch", () => {
  it("leaves its error and stack frames in the unit's log at a level shown by default", async () => {
    const { sim } = await deployModel();
    const unit = `${OPERATOR}/0`;
    sim.injectFault({ tool: "status-set" });
    const run = await sim.runHook(unit, "update-status");
    assert.notEqual(run.exitCode, 0);
    const visible = sim
      .logs(unit)
      .filter((line) => VISIBLE_BY_DEFAULT.has(line.level))
      .map((line) => line.message)
      .join("\n");
    assert.match(visible, /update-status failed: status-set failed/);
    assert.match(visible, /stack trace:\n {2}at /);
    assert.match(visible, /at HookTools\.statusSet /);
  });
});
