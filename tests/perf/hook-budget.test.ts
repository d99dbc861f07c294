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
    // Steady state: a full look has kept the summary, as after the leader's leader-elected.
    const elected = await model.sim.runHook(model.leader, "leader-elected");
    assert.equal(elected.exitCode, 0, elected.stderr);
  });

  const eachDatabag = () =>
    model.relations.flatMap((relation) => [
      `relation-list --format=json -r ${relation.id}`,
      `relation-list --format=json --app -r ${relation.id}`,
      ...relation.units.map((unit) => `relation-get --format=json -r ${relation.id} - ${unit}`),
      `relation-get --format=json -r ${relation.id} --app - ${relation.app}`,
      `relation-get --format=json -r ${relation.id} --app - ${OPERATOR}`,
    ]);

  it("the full look reads each databag once, keeps the summary and sets the status once", async () => {
    const run = await model.sim.runHook(model.leader, "leader-elected");
    assert.equal(run.exitCode, 0);
    const expected = [
      "is-leader --format=json",
      "config-get --format=json",
      "state-get --format=json",
      "relation-ids certificates --format=json",
      "relation-ids trust_certificate --format=json",
      TRACING_CHECK,
      ...eachDatabag(),
    ];
    assert.deepEqual(reads(run.toolCalls).sort(), expected.sort());
    const writes = run.toolCalls.filter((call) => !reads([call]).length).map((call) => call[0]);
    // Our lists are already what reconcile computes; only the summary's time of the look is new.
    assert.deepEqual(writes, ["state-set", "status-set"]);
    assert.deepEqual(repeated(run.toolCalls), []);
  });

  it("update-status reads no relation: leadership, config, the relation ids and the summary", async () => {
    const run = await model.sim.runHook(model.leader, "update-status");
    assert.equal(run.exitCode, 0);
    assert.deepEqual(reads(run.toolCalls).sort(), [
      "config-get --format=json",
      "is-leader --format=json",
      "relation-ids certificates --format=json",
      TRACING_CHECK,
      "state-get --format=json",
    ]);
    const writes = run.toolCalls.filter((call) => !reads([call]).length).map((call) => call[0]);
    assert.deepEqual(writes, ["status-set"]);
  });

  it("certificates-relation-changed reads its own relation only and takes the remote app from the environment", async () => {
    const [relation, ...others] = model.relations;
    const changed = await model.sim.runHook(model.leader, "certificates-relation-changed", {
      relationId: relation!.id,
      remoteUnit: relation!.units[0]!,
    });
    assert.equal(changed.exitCode, 0);
    const relationReads = reads(changed.toolCalls).filter((call) => call.startsWith("relation-"));
    for (const other of others) {
      assert.deepEqual(
        relationReads.filter(
          (call) => call.includes(`-r ${other.id} `) || call.endsWith(`-r ${other.id}`),
        ),
        [],
        `relation ${other.id}`,
      );
    }
    assert.deepEqual(
      relationReads.sort(),
      [
        "relation-ids certificates --format=json",
        TRACING_CHECK,
        `relation-get --format=json -r ${relation!.id} --app - ${OPERATOR}`,
        `relation-get --format=json -r ${relation!.id} --app - ${relation!.app}`,
        ...relation!.units.map((unit) => `relation-get --format=json -r ${relation!.id} - ${unit}`),
        `relation-list --format=json -r ${relation!.id}`,
      ].sort(),
    );
    assert.deepEqual(repeated(changed.toolCalls), []);
  });

  it("a non-leader's hook reads leadership, its summary's version and config, then sets its status", async () => {
    const standby = model.operatorUnits[1]!;
    // Its first hook looks at every trust relation and keeps when it did.
    assert.equal((await model.sim.runHook(standby, "update-status")).exitCode, 0);
    for (const hook of ["update-status", "leader-settings-changed"]) {
      const run = await model.sim.runHook(standby, hook);
      assert.equal(run.exitCode, 0);
      const calls = argv(run.toolCalls).filter((call) => !call.startsWith("juju-log"));
      // config-get: a non-leader shows an invalid trust bundle as blocked. It never reads the
      // certificates relations, and publishes the bundle only in a trust relation's hooks and
      // in a full look.
      assert.deepEqual(
        calls,
        [
          "is-leader --format=json",
          "state-get --format=json",
          "config-get --format=json",
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
      ["update-status", {}],
    ];
    for (const [hook, spec] of hooks) {
      const run = await model.sim.runHook(model.leader, hook, spec);
      assert.equal(run.exitCode, 0, hook);
      assert.deepEqual(repeated(run.toolCalls), [], hook);
    }
  });
});
