import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { OPERATOR, deployModel } from "../e2e/harness.ts";

// Each hook kind Juju may dispatch, through the real `dispatch` and real hook-tool executables:
// the reconciling ones end by setting the status, the others only say at debug level that nothing was done.
const reconciled = [
  "install",
  "start",
  "upgrade-charm",
  "config-changed",
  "leader-elected",
  "leader-settings-changed",
  "update-status",
];
const unobserved = ["stop", "remove", "collect-metrics", "secret-changed", "post-series-upgrade"];
const relationKinds = ["created", "joined", "changed", "departed", "broken"] as const;

describe("dispatch routes every hook kind and action to its handler", () => {
  let sim: Simulator;
  let relationId: number;

  before(async () => {
    const model = await deployModel({ requirers: [{}] });
    sim = model.sim;
    relationId = model.relations["tls-requirer"] ?? -1;
  });

  // Every dispatch ends by looking for a tracing relation (issue 15); this model has none.
  const TRACING_CHECK = ["relation-ids", "tracing", "--format=json"];
  const tools = (calls: string[][]) => {
    assert.deepEqual(calls.at(-1), TRACING_CHECK);
    return calls.slice(0, -1).map((call) => call[0]);
  };

  for (const hook of reconciled) {
    it(`${hook} reconciles and sets the status`, async () => {
      const run = await sim.runHook(`${OPERATOR}/0`, hook);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.deepEqual(tools(run.toolCalls).slice(0, 1), ["is-leader"]);
      assert.equal(tools(run.toolCalls).at(-1), "status-set");
    });
  }

  for (const hook of unobserved) {
    it(`${hook} has no handler: a debug line and nothing else`, async () => {
      const run = await sim.runHook(`${OPERATOR}/0`, hook);
      assert.equal(run.exitCode, 0, run.stderr);
      // Juju logs a hook's stdout at DEBUG, so the line costs no hook-tool call.
      assert.deepEqual(run.toolCalls, [TRACING_CHECK]);
      assert.equal(run.stdout, `no handler for ${hook}; nothing to do\n`);
      assert.deepEqual(sim.logs(`${OPERATOR}/0`).at(-1), {
        level: "DEBUG",
        message: `no handler for ${hook}; nothing to do`,
      });
    });
  }

  for (const kind of relationKinds) {
    it(`certificates-relation-${kind} reconciles`, async () => {
      const run = await sim.runHook(`${OPERATOR}/0`, `certificates-relation-${kind}`, {
        relationId,
        remoteApp: "tls-requirer",
        ...(kind === "created" || kind === "broken" ? {} : { remoteUnit: "tls-requirer/0" }),
        ...(kind === "departed" ? { departingUnit: "tls-requirer/0" } : {}),
      });
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(tools(run.toolCalls).at(-1), "status-set");
    });
  }

  for (const action of [
    "get-outstanding-certificate-requests",
    "get-certificate-request",
    "get-issued-certificates",
  ]) {
    it(`the ${action} action runs its handler`, async () => {
      const params = action === "get-certificate-request" ? { "relation-id": relationId } : {};
      const run = await sim.runAction(`${OPERATOR}/0`, action, params);
      assert.equal(run.status, "completed", run.message);
      assert.equal(run.exitCode, 0);
      assert.ok(typeof run.results["result"] === "string");
    });
  }
});
