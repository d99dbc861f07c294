import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as z from "zod/mini";
import {
  Action,
  ActionFailure,
  ActionResultKeyError,
  HookTools,
  checkResultKey,
} from "../../src/juju/index.ts";
import { fakeTools, ok } from "./fake-tools.ts";

function action(params: unknown = {}) {
  const fake = fakeTools((tool) => (tool === "action-get" ? ok(params) : undefined));
  return { action: new Action("a", "1", new HookTools(fake.runner)), calls: fake.calls };
}

describe("action result keys", () => {
  for (const key of ["result", "a1", "relation-id", "x"]) {
    it(`accepts ${key}`, () => assert.doesNotThrow(() => checkResultKey(key)));
  }
  for (const key of ["Result", "relation_id", "-a", "a-", "", "a b", "ünï"]) {
    it(`refuses ${JSON.stringify(key)} as Juju's action-set would`, () =>
      assert.throws(() => checkResultKey(key), ActionResultKeyError));
  }
  for (const key of ["stdout", "stderr", "stdout-encoding", "stderr-encoding"]) {
    it(`refuses the reserved key ${key}`, () =>
      assert.throws(() => checkResultKey(key), /reserved/));
  }
});

describe("Action", () => {
  it("flattens nested results into dotted keys and checks every segment before calling", () => {
    const { action: a, calls } = action();
    a.setResults({ result: "ok", detail: { "relation-id": 3, ok: true } });
    assert.deepEqual(calls[0]?.args, ["result=ok", "detail.relation-id=3", "detail.ok=true"]);
    assert.throws(() => a.setResults({ detail: { bad_key: "x" } }), ActionResultKeyError);
    assert.equal(calls.length, 1);
  });

  it("refuses a result too large for one argv element with a hint", () => {
    const { action: a } = action();
    assert.throws(() => a.setResults({ result: "x".repeat(200 * 1024) }), ActionFailure);
  });

  it("checks params with the action's schema and names the bad param", () => {
    const { action: a } = action({ "relation-id": "three" });
    const schema = z.object({ "relation-id": z.int() });
    assert.throws(() => a.params(schema), /relation-id/);
  });

  it("reads params once however often they are asked for", () => {
    const { action: a, calls } = action({ n: 1 });
    const schema = z.object({ n: z.int() });
    a.params(schema);
    a.params(schema);
    assert.equal(calls.filter((call) => call.tool === "action-get").length, 1);
  });
});
