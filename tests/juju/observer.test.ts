// The router's observer seam, in-process: what a DispatchRecorder sees of a dispatch, and that
// nothing its consumer does changes the exit code.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ActionFailure,
  DispatchRecorder,
  EventRouter,
  type DispatchRecord,
} from "../../src/juju/index.ts";
import { fail, fakeTools, hookEnv, ok } from "./fake-tools.ts";

function recorder(consume: (record: DispatchRecord) => void | Promise<void>) {
  const errors: unknown[] = [];
  const observer = new DispatchRecorder(
    async (_context, record) => consume(record()),
    (_context, error) => void errors.push(error),
  );
  return { observer, errors };
}

describe("EventRouter observer", () => {
  it("records every tool call with its exit code, the handler's span and the outcome", async () => {
    const { runner } = fakeTools((tool) => (tool === "is-leader" ? ok(true) : undefined));
    let seen: DispatchRecord | undefined;
    const { observer } = recorder((record) => void (seen = record));
    const router = new EventRouter().observe("update-status", ({ model }) => {
      model.isLeader();
      model.setUnitStatus("active", "fine");
    });
    const code = await router.dispatch(hookEnv("hooks/update-status"), runner, { observer });
    assert.equal(code, 0);
    assert.deepEqual(
      seen!.toolCalls.map((call) => [call.tool, call.exitCode]),
      [
        ["is-leader", 0],
        ["status-set", 0],
      ],
    );
    assert.ok(seen!.handler && seen!.handler.startMs <= seen!.toolCalls[0]!.startMs);
    assert.ok(seen!.startMs <= seen!.handler.startMs && seen!.handler.endMs <= seen!.endMs);
    assert.deepEqual([seen!.exitCode, seen!.failure], [0, undefined]);
  });

  it("gives a failed hook's message, and a throwing consumer leaves exit code 1 as it was", async () => {
    const { runner } = fakeTools((tool) => (tool === "status-set" ? fail(2, "gone") : undefined));
    let seen: DispatchRecord | undefined;
    const { observer, errors } = recorder((record) => {
      seen = record;
      throw new Error("receiver down");
    });
    const router = new EventRouter().observe("update-status", ({ model }) => {
      model.setUnitStatus("active", "fine");
    });
    const code = await router.dispatch(hookEnv("hooks/update-status"), runner, { observer });
    assert.equal(code, 1);
    assert.equal(seen!.failure, "status-set failed (exit 2): ERROR gone");
    assert.equal(seen!.toolCalls.find((call) => call.tool === "status-set")!.exitCode, 2);
    assert.equal(String(errors[0]), "Error: receiver down");
  });

  it("gives a failed action's message and an action's exit code 0", async () => {
    const { runner } = fakeTools(() => undefined);
    let seen: DispatchRecord | undefined;
    const { observer } = recorder((record) => void (seen = record));
    const router = new EventRouter().observeAction("hello", () => {
      throw new ActionFailure("no such request");
    });
    const code = await router.dispatch(hookEnv("actions/hello"), runner, { observer });
    assert.equal(code, 0);
    assert.deepEqual([seen!.exitCode, seen!.failure], [0, "no such request"]);
  });

  it("records a hook with no handler without a handler span", async () => {
    const { runner } = fakeTools(() => undefined);
    let seen: DispatchRecord | undefined;
    const { observer } = recorder((record) => void (seen = record));
    const code = await new EventRouter().dispatch(hookEnv("hooks/stop"), runner, { observer });
    assert.equal(code, 0);
    assert.equal(seen!.handler, undefined);
    assert.deepEqual(seen!.toolCalls, []);
  });
});
