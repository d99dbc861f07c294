// Faults through the real dispatch on the simulator: hook tools that fail mid-hook, hooks run
// twice, leadership that moves, a unit or relation that goes away while the operator works.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { buildPool, type Pool } from "./pool.ts";
import { OPERATOR, allDatabags, listed, provideParams, requestBag, simModel } from "./sim-model.ts";
import { counter, report } from "./tally.ts";

const pool: Pool = buildPool(6);
const csr = (i: number) => pool.good[i]!.csr;
const cert = (i: number) => pool.good[i]!.certificate;
const ca = pool.ca.pem.trim();
const tallies = counter();

describe("faults through the real dispatch", () => {
  let sim: Simulator;
  /** The unit that won the lease at deploy, and the operator's other unit. */
  let firstLeader: string;
  let other: string;
  let alpha: number;
  let beta: number;
  const ours = (id: number) => sim.relationData(id, OPERATOR);
  const relationHook = (app: string, id: number, unit: string) => ({
    relationId: id,
    remoteApp: app,
    remoteUnit: unit,
  });

  before(async () => {
    const model = await simModel(2, { alpha: 2, beta: 2 });
    sim = model.sim;
    firstLeader = sim.leader(OPERATOR)!;
    other = firstLeader === `${OPERATOR}/0` ? `${OPERATOR}/1` : `${OPERATOR}/0`;
    alpha = model.relations["alpha"]!;
    beta = model.relations["beta"]!;
    // Each requirer's write reaches the operator with its -changed, as on Juju.
    const notify = { notify: true };
    sim.setRelationData(alpha, "alpha/0", requestBag(csr(0)), notify);
    sim.setRelationData(alpha, "alpha/1", requestBag(csr(1)), notify);
    sim.setRelationData(beta, "beta/0", requestBag(csr(2)), notify);
    sim.setRelationData(beta, "beta/1", requestBag(csr(3)), notify);
    await sim.settle();
    const run = await sim.runAction(
      firstLeader,
      "provide-certificate",
      provideParams(csr(0), cert(0), ca),
    );
    assert.equal(run.status, "completed", run.message);
  });

  it("a relation-set that fails mid-hook: exit non-zero, nothing half-written, the retry completes", async () => {
    // alpha/0 renews: csr 0 gives way to csr 4, so the hook must drop our answer to csr 0.
    sim.setRelationData(alpha, "alpha/0", requestBag(csr(4)));
    const before = allDatabags(sim);
    sim.injectFault({ tool: "relation-set" });
    tallies.add("faults injected");
    const failed = await sim.runHook(
      firstLeader,
      "certificates-relation-changed",
      relationHook("alpha", alpha, "alpha/0"),
    );
    assert.notEqual(failed.exitCode, 0);
    assert.ok(
      failed.toolCalls.some((call) => call[0] === "relation-set"),
      "the write was attempted",
    );
    assert.deepEqual(allDatabags(sim), before, "a failed hook left state behind");
    assert.equal(sim.agentStatus(firstLeader).status, "error");
    assert.ok(
      sim.logs(firstLeader).some((l) => l.level === "ERROR" && l.message.includes("relation-set")),
    );

    await sim.resolve(firstLeader);
    const retried = await sim.runHook(
      firstLeader,
      "certificates-relation-changed",
      relationHook("alpha", alpha, "alpha/0"),
    );
    assert.equal(retried.exitCode, 0);
    assert.equal(sim.agentStatus(firstLeader).status, "idle");
    assert.equal(ours(alpha)["certificates"], "[]", "the answer to the withdrawn CSR is gone");
  });

  it("a relation-get that fails for one unit: exit non-zero, no write, the next run completes", async () => {
    await sim.runAction(firstLeader, "provide-certificate", provideParams(csr(4), cert(4), ca));
    sim.setRelationData(alpha, "alpha/0", requestBag(csr(0)));
    const before = allDatabags(sim);
    sim.injectFault({ tool: "relation-get", argsContains: "alpha/1" });
    tallies.add("faults injected");
    // alpha/0's -changed: until it runs, the agent shows alpha/0's old bag from its cache.
    const changed = relationHook("alpha", alpha, "alpha/0");
    const failed = await sim.runHook(firstLeader, "certificates-relation-changed", changed);
    assert.notEqual(failed.exitCode, 0);
    assert.equal(failed.toolCalls.filter((call) => call[0] === "relation-set").length, 0);
    assert.deepEqual(allDatabags(sim), before);
    assert.ok(
      sim.logs(firstLeader).some((l) => l.level === "ERROR" && l.message.includes("relation-get")),
      "the failure is logged",
    );

    await sim.resolve(firstLeader);
    const again = await sim.runHook(firstLeader, "certificates-relation-changed", changed);
    assert.equal(again.exitCode, 0);
    assert.equal(ours(alpha)["certificates"], "[]", "csr 4 is withdrawn: its answer goes");
  });

  it("a status-set that fails after the writes: the hook fails and its writes are rolled back", async () => {
    await sim.runAction(firstLeader, "provide-certificate", provideParams(csr(0), cert(0), ca));
    sim.setRelationData(alpha, "alpha/0", requestBag(csr(4)));
    const before = allDatabags(sim);
    const keptBefore = sim.charmState(firstLeader);
    sim.injectFault({ tool: "status-set" });
    tallies.add("faults injected");
    const changed = relationHook("alpha", alpha, "alpha/0");
    const failed = await sim.runHook(firstLeader, "certificates-relation-changed", changed);
    assert.notEqual(failed.exitCode, 0);
    assert.deepEqual(allDatabags(sim), before);
    assert.deepEqual(sim.charmState(firstLeader), keptBefore, "the summary moved without the data");
    await sim.resolve(firstLeader);
    assert.equal(
      (await sim.runHook(firstLeader, "certificates-relation-changed", changed)).exitCode,
      0,
    );
    assert.equal(ours(alpha)["certificates"], "[]");
    sim.setRelationData(alpha, "alpha/0", requestBag(csr(0)), { notify: true });
    await sim.settle();
    await sim.runAction(firstLeader, "provide-certificate", provideParams(csr(0), cert(0), ca));
  });

  it("every hook run twice leaves the same state as run once", async () => {
    const hooks: [string, Parameters<Simulator["runHook"]>[2]][] = [
      ["update-status", {}],
      ["certificates-relation-changed", relationHook("alpha", alpha, "alpha/1")],
      [
        "certificates-relation-departed",
        { ...relationHook("beta", beta, "beta/1"), departingUnit: "beta/1" },
      ],
      ["leader-elected", {}],
      ["config-changed", {}],
    ];
    for (const [hook, spec] of hooks) {
      const first = await sim.runHook(firstLeader, hook, spec);
      assert.equal(first.exitCode, 0, hook);
      const once = allDatabags(sim);
      const second = await sim.runHook(firstLeader, hook, spec);
      assert.equal(second.exitCode, 0, hook);
      assert.deepEqual(allDatabags(sim), once, `${hook} twice differs from once`);
      assert.equal(
        second.toolCalls.some((call) => call[0] === "relation-set"),
        false,
        `${hook} rewrote what it had just written`,
      );
      tallies.add("hooks run twice");
    }
    assert.match(ours(alpha)["certificates"] ?? "", /BEGIN CERTIFICATE/);
  });

  it("leadership moves: the old leader stops writing, the new one carries on from the app databag", async () => {
    const outstandingBefore = listed(
      await sim.runAction(firstLeader, "get-outstanding-certificate-requests"),
    );
    const published = allDatabags(sim);
    await sim.setLeader(other);
    assert.deepEqual(allDatabags(sim), published, "the handover changed the databags");

    for (const hook of ["update-status", "config-changed"]) {
      const run = await sim.runHook(firstLeader, hook);
      assert.equal(run.exitCode, 0);
      assert.equal(
        run.toolCalls.some((call) => call[0] === "relation-set"),
        false,
        `old leader wrote in ${hook}`,
      );
    }
    const stale = await sim.runAction(
      firstLeader,
      "provide-certificate",
      provideParams(csr(1), cert(1), ca),
    );
    assert.equal(stale.status, "failed");
    assert.match(stale.message ?? "", /is not the leader; run this action on the leader/);
    assert.deepEqual(allDatabags(sim), published);

    const outstandingAfter = listed(
      await sim.runAction(other, "get-outstanding-certificate-requests"),
    );
    assert.deepEqual(outstandingAfter, outstandingBefore);
    const next = await sim.runAction(
      other,
      "provide-certificate",
      provideParams(csr(1), cert(1), ca),
    );
    assert.equal(next.status, "completed", next.message);
    const entries = JSON.parse(ours(alpha)["certificates"] ?? "[]") as {
      certificate_signing_request: string;
    }[];
    assert.deepEqual(
      entries.map((e) => e.certificate_signing_request),
      [csr(0), csr(1)],
      "the old leader's certificate survives and the new one joins it",
    );
    assert.equal((await sim.runHook(other, "update-status")).exitCode, 0);
  });

  it("a unit departs between get-outstanding and provide-certificate: a clear failure, nothing written", async () => {
    const requests = listed(await sim.runAction(other, "get-outstanding-certificate-requests"));
    assert.ok(requests.some((r) => r.unit_name === "beta/1" && r.csr === csr(3)));
    await sim.removeUnit("beta/1");
    const before = allDatabags(sim);
    const run = await sim.runAction(
      other,
      "provide-certificate",
      provideParams(csr(3), cert(3), ca),
    );
    assert.equal(run.status, "failed");
    assert.match(run.message ?? "", /^certificate-signing-request: no requirer asks for this CSR/);
    const named = await sim.runAction(
      other,
      "provide-certificate",
      provideParams(csr(3), cert(3), ca, { "unit-name": "beta/1" }),
    );
    assert.match(named.message ?? "", /^unit-name: beta\/1 is not a unit of a requirer/);
    assert.deepEqual(allDatabags(sim), before);
    assert.equal(sim.agentStatus(other).status, "idle");
  });

  it("a relation broken while a certificate is being provided: a clear failure, nothing written, no crash", async () => {
    const requests = listed(await sim.runAction(other, "get-outstanding-certificate-requests"));
    assert.ok(requests.some((r) => r.relation_id === beta && r.csr === csr(2)));
    await sim.removeRelation(beta);
    for (const unit of [firstLeader, other]) assert.equal(sim.agentStatus(unit).status, "idle");
    const before = allDatabags(sim);
    const byId = await sim.runAction(
      other,
      "provide-certificate",
      provideParams(csr(2), cert(2), ca, { "relation-id": beta }),
    );
    assert.equal(byId.status, "failed");
    assert.match(
      byId.message ?? "",
      new RegExp(`^relation-id ${beta} is not a certificates relation`),
    );
    const anyRelation = await sim.runAction(
      other,
      "provide-certificate",
      provideParams(csr(2), cert(2), ca),
    );
    assert.match(
      anyRelation.message ?? "",
      /^certificate-signing-request: no requirer asks for this CSR/,
    );
    assert.deepEqual(allDatabags(sim), before);
    assert.equal((await sim.runHook(other, "update-status")).exitCode, 0);
  });

  it("reports the faults injected", (t) => {
    // Every fault the tests injected is counted once, and each one fired: a fault left
    // pending would mean a test checked a failure that never happened.
    const injected = sim.state().faults;
    assert.equal(injected.length, 3);
    assert.deepEqual(
      injected.map((fault) => [fault.tool, fault.times]),
      [
        ["relation-set", 0],
        ["relation-get", 0],
        ["status-set", 0],
      ],
      "an injected fault never fired",
    );
    assert.equal(
      report(t, "faults", tallies),
      `faults: faults injected: ${injected.length}, hooks run twice: 5`,
    );
  });
});
