// Hook-tool call budgets of hooks, through the real dispatch on the simulator. Counts only:
// never times, which a shared machine cannot promise.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { BenchModel } from "../../bench/model.ts";
import { argv, OPERATOR, reads, repeated, smallModel, TRACING_CHECK } from "./fixture.ts";
import { NON_LEADER_MESSAGE } from "../../src/charm/status.ts";

describe("hook-tool budgets of hooks", () => {
  let model: BenchModel;
  before(async () => {
    model = await smallModel({ unitsPerRelation: 2 });
  });

  it("update-status with N relations of M units reads each databag once and sets the status once", async () => {
    const run = await model.sim.runHook(model.leader, "update-status");
    assert.equal(run.exitCode, 0);
    const expected = [
      "is-leader --format=json",
      "config-get --format=json",
      "relation-ids certificates --format=json",
      "relation-ids trust_certificate --format=json",
      TRACING_CHECK,
      ...model.relations.flatMap((relation) => [
        `relation-list --format=json -r ${relation.id}`,
        `relation-list --format=json --app -r ${relation.id}`,
        ...relation.units.map((unit) => `relation-get --format=json -r ${relation.id} - ${unit}`),
        `relation-get --format=json -r ${relation.id} --app - ${relation.app}`,
        `relation-get --format=json -r ${relation.id} --app - ${OPERATOR}`,
      ]),
    ];
    assert.deepEqual(reads(run.toolCalls).sort(), expected.sort());
    const writes = run.toolCalls.filter((call) => !reads([call]).length).map((call) => call[0]);
    // Steady state: our lists are already what reconcile computes, so nothing is written.
    assert.deepEqual(writes, ["status-set"]);
    assert.deepEqual(repeated(run.toolCalls), []);
    // 3 relation-ids (certificates, trust_certificate, tracing), per relation 2 relation-list and
    // M + 2 relation-get, 1 is-leader, 1 config-get, 1 status-set.
    const n = model.relations.length;
    const m = model.relations[0]!.units.length;
    assert.equal(run.toolCalls.length, 5 + n * (2 + m + 2) + 1);
  });

  it("certificates-relation-changed reads no more than update-status and takes the remote app from the environment", async () => {
    const relation = model.relations[0]!;
    const changed = await model.sim.runHook(model.leader, "certificates-relation-changed", {
      relationId: relation.id,
      remoteUnit: relation.units[0]!,
    });
    const status = await model.sim.runHook(model.leader, "update-status");
    assert.equal(changed.exitCode, 0);
    const statusReads = new Set(reads(status.toolCalls));
    assert.deepEqual(
      reads(changed.toolCalls).filter((call) => !statusReads.has(call)),
      [],
    );
    assert.ok(
      !argv(changed.toolCalls).includes(`relation-list --format=json --app -r ${relation.id}`),
    );
  });

  it("a non-leader's hook reads leadership, config and trust relations, then sets its status", async () => {
    const standby = model.operatorUnits[1]!;
    for (const hook of ["update-status", "leader-settings-changed"]) {
      const run = await model.sim.runHook(standby, hook);
      assert.equal(run.exitCode, 0);
      const calls = argv(run.toolCalls).filter((call) => !call.startsWith("juju-log"));
      // config-get: a non-leader shows an invalid trust bundle as blocked, and publishes the
      // bundle to v0 requirers in its own unit databag; it never reads the certificates relations.
      assert.deepEqual(
        calls,
        [
          "is-leader --format=json",
          "config-get --format=json",
          "relation-ids trust_certificate --format=json",
          `status-set --application=False active -- ${NON_LEADER_MESSAGE}`,
          TRACING_CHECK,
        ],
        hook,
      );
    }
  });

  it("a hook with no handler only looks for a tracing relation, and may log", async () => {
    const run = await model.sim.runHook(model.leader, "stop");
    assert.equal(run.exitCode, 0);
    const calls = argv(run.toolCalls).filter((call) => !call.startsWith("juju-log"));
    assert.deepEqual(calls, [TRACING_CHECK]);
    assert.ok(run.toolCalls.length <= 2);
  });

  it("no hook runs a hook tool twice with the same arguments", async () => {
    const relation = model.relations[1]!;
    const hooks: [string, Parameters<typeof model.sim.runHook>[2]][] = [
      ["leader-elected", {}],
      ["certificates-relation-joined", { relationId: relation.id, remoteUnit: relation.units[2]! }],
      ["certificates-relation-changed", { relationId: relation.id, remoteApp: relation.app }],
    ];
    for (const [hook, spec] of hooks) {
      const run = await model.sim.runHook(model.leader, hook, spec);
      assert.equal(run.exitCode, 0, hook);
      assert.deepEqual(repeated(run.toolCalls), [], hook);
    }
  });
});
