import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ActionFailure, EventRouter, ModelAccessError } from "../../src/juju/index.ts";
import { fail, fakeTools, hookEnv, ok, type RecordedCall } from "./fake-tools.ts";

const relationEnv = {
  JUJU_RELATION: "certificates",
  JUJU_RELATION_ID: "certificates:3",
  JUJU_REMOTE_APP: "vault",
  JUJU_REMOTE_UNIT: "vault/0",
};

function juju(leader: boolean) {
  return fakeTools((tool, args) => {
    if (tool === "is-leader") return ok(leader);
    if (tool === "relation-ids") return ok(["certificates:3"]);
    if (tool === "relation-list") return ok(args.includes("--app") ? "vault" : ["vault/0"]);
    if (tool === "relation-get") return ok({ "private-address": "10.0.0.1" });
    if (tool === "action-get") return ok({});
    return undefined;
  });
}

const byTool = (calls: RecordedCall[], tool: string) => calls.filter((call) => call.tool === tool);

describe("EventRouter routing", () => {
  it("routes a relation hook to its handler and commits writes once at the end", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observe("certificates-relation-changed", ({ model }) => {
      const relation = model.relation("certificates", 3);
      relation?.localAppData.set("a", "1");
      relation?.localAppData.set("b", "2");
      model.setUnitStatus("active", "ok");
    });
    const code = await router.dispatch(
      hookEnv("hooks/certificates-relation-changed", relationEnv),
      runner,
    );
    assert.equal(code, 0);
    const sets = byTool(calls, "relation-set");
    assert.equal(sets.length, 1);
    assert.deepEqual(sets[0]?.args, ["-r", "3", "--app", "--file", "-"]);
    assert.deepEqual(JSON.parse(sets[0]?.stdin ?? ""), { a: "1", b: "2" });
    assert.deepEqual(byTool(calls, "status-set")[0]?.args, [
      "--application=False",
      "active",
      "--",
      "ok",
    ]);
  });

  it("treats an event with no handler as a no-op logged at debug on stdout, with no tool call", async () => {
    const { runner, calls } = juju(true);
    const written: string[] = [];
    const output = { stdout: (text: string) => void written.push(text), stderr: () => {} };
    assert.equal(await new EventRouter({ output }).dispatch(hookEnv("hooks/stop"), runner), 0);
    assert.deepEqual(calls, []);
    assert.deepEqual(written, ["no handler for stop; nothing to do\n"]);
  });

  it("routes an action to its handler with params and results", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observeAction("hello", ({ action }) => {
      action.setResults({ greeting: "hi" });
    });
    const code = await router.dispatch(hookEnv("actions/hello", { JUJU_ACTION_UUID: "1" }), runner);
    assert.equal(code, 0);
    assert.deepEqual(byTool(calls, "action-set")[0]?.args, ["greeting=hi"]);
  });
});

describe("EventRouter beforeHandler", () => {
  it("runs once before a hook's or an action's handler, and never when there is none", async () => {
    const order: string[] = [];
    const router = new EventRouter()
      .observe("update-status", () => void order.push("hook"))
      .observeAction("hello", () => void order.push("action"));
    const beforeHandler = () => void order.push("before");
    const { runner } = juju(true);
    await router.dispatch(hookEnv("hooks/update-status"), runner, { beforeHandler });
    await router.dispatch(hookEnv("actions/hello", { JUJU_ACTION_UUID: "1" }), runner, {
      beforeHandler,
    });
    await router.dispatch(hookEnv("hooks/stop"), runner, { beforeHandler });
    await router.dispatch(hookEnv("actions/nope", { JUJU_ACTION_UUID: "2" }), runner, {
      beforeHandler,
    });
    assert.deepEqual(order, ["before", "hook", "before", "action"]);
  });
});

describe("EventRouter error policy", () => {
  it("exits 1 and logs the error when a hook handler throws, without writing", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observe("certificates-relation-changed", ({ model }) => {
      model.relation("certificates", 3)?.localAppData.set("a", "1");
      throw new Error("boom");
    });
    const code = await router.dispatch(
      hookEnv("hooks/certificates-relation-changed", relationEnv),
      runner,
    );
    assert.equal(code, 1);
    assert.equal(byTool(calls, "relation-set").length, 0);
    const logged = byTool(calls, "juju-log").map((call) => call.args.join(" "));
    assert.ok(logged.some((line) => line.includes("ERROR") && line.includes("boom")));
  });

  it("exits 1 when a hook tool fails, so Juju retries the hook", async () => {
    const fake = fakeTools((tool) =>
      tool === "is-leader" ? fail(1, "leadership status unknown") : undefined,
    );
    const router = new EventRouter().observe("update-status", ({ model }) => {
      model.isLeader();
    });
    assert.equal(await router.dispatch(hookEnv("hooks/update-status"), fake.runner), 1);
  });

  it("fails an action with the handler's message and exits 0", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observeAction("a", () => {
      throw new ActionFailure("relation-id 9 is unknown");
    });
    assert.equal(await router.dispatch(hookEnv("actions/a"), runner), 0);
    assert.deepEqual(byTool(calls, "action-fail")[0]?.args, ["--", "relation-id 9 is unknown"]);
  });

  it("fails an action on an unexpected error, logs it, and still exits 0", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observeAction("a", () => {
      throw new TypeError("oops");
    });
    assert.equal(await router.dispatch(hookEnv("actions/a"), runner), 0);
    assert.match(byTool(calls, "action-fail")[0]?.args[1] ?? "", /unexpected error: oops/);
  });

  it("fails an action the charm does not have", async () => {
    const { runner, calls } = juju(true);
    assert.equal(await new EventRouter().dispatch(hookEnv("actions/nope"), runner), 0);
    assert.match(byTool(calls, "action-fail")[0]?.args[1] ?? "", /no action nope/);
  });

  it("does not commit writes of an action that failed", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observeAction("a", ({ model, action }) => {
      model.relation("certificates", 3)?.localAppData.set("x", "1");
      action.fail("no");
    });
    await router.dispatch(hookEnv("actions/a"), runner);
    assert.equal(byTool(calls, "relation-set").length, 0);
  });

  it("exits 1 with a message on stderr outside a Juju environment", async () => {
    const { runner, calls } = juju(true);
    const [stdout, stderr]: [string[], string[]] = [[], []];
    const output = {
      stdout: (text: string) => void stdout.push(text),
      stderr: (text: string) => void stderr.push(text),
    };
    assert.equal(await new EventRouter({ output }).dispatch({}, runner), 1);
    assert.equal(calls.length, 0);
    assert.deepEqual(stderr, [
      "ERROR not a Juju hook environment (JUJU_DISPATCH_PATH: missing; JUJU_UNIT_NAME: missing)\n",
    ]);
    assert.deepEqual(stdout, []);
  });
});

describe("Model leadership rules", () => {
  it("refuses a non-leader's read of its own app databag on a non-peer relation before any tool runs", async () => {
    const { runner, calls } = juju(false);
    let caught: unknown;
    const router = new EventRouter().observe("update-status", ({ model }) => {
      try {
        void model.relation("certificates", 3)?.localAppData;
      } catch (error) {
        caught = error;
      }
    });
    await router.dispatch(hookEnv("hooks/update-status"), runner);
    assert.ok(caught instanceof ModelAccessError);
    assert.equal(byTool(calls, "relation-get").length, 0);
  });

  it("lets a non-leader read but not write its app databag on a peer relation", async () => {
    const { runner } = juju(false);
    let caught: unknown;
    const router = new EventRouter({ peerEndpoints: ["certificates"] }).observe(
      "update-status",
      ({ model }) => {
        const bag = model.relation("certificates", 3)?.localAppData;
        assert.deepEqual(bag?.entries(), { "private-address": "10.0.0.1" });
        try {
          bag?.set("a", "b");
        } catch (error) {
          caught = error;
        }
      },
    );
    assert.equal(await router.dispatch(hookEnv("hooks/update-status"), runner), 0);
    assert.ok(caught instanceof ModelAccessError);
  });

  it("refuses writes to a remote unit's or remote app's databag", async () => {
    const { runner } = juju(true);
    const errors: unknown[] = [];
    const router = new EventRouter().observe("update-status", ({ model }) => {
      const relation = model.relation("certificates", 3);
      for (const write of [
        () => relation?.unitData("vault/0").set("a", "b"),
        () => relation?.remoteAppData.set("a", "b"),
      ]) {
        try {
          write();
        } catch (error) {
          errors.push(error);
        }
      }
    });
    await router.dispatch(hookEnv("hooks/update-status"), runner);
    assert.equal(errors.filter((error) => error instanceof ModelAccessError).length, 2);
  });

  it("skips relation-set when a write leaves the databag as it was", async () => {
    const { runner, calls } = juju(true);
    const router = new EventRouter().observe("update-status", ({ model }) => {
      model.relation("certificates", 3)?.localAppData.set("private-address", "10.0.0.1");
    });
    await router.dispatch(hookEnv("hooks/update-status"), runner);
    assert.equal(byTool(calls, "relation-set").length, 0);
  });
});
