// Hook-tool call budgets of the actions, through the real dispatch on the simulator.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { BenchModel, PlacedCsr } from "../../bench/model.ts";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import { OPERATOR, reads, repeated, smallModel, TRACING_CHECK } from "./fixture.ts";

const b64 = (text: string): string => Buffer.from(text).toString("base64");

describe("hook-tool budgets of actions", () => {
  let model: BenchModel;
  let target: PlacedCsr;
  let params: Record<string, string>;
  before(async () => {
    model = await smallModel({ unitsPerRelation: 2 });
    target = model.csrs.at(-1)!;
    const ca = makeCa();
    params = {
      "certificate-signing-request": b64(target.csr),
      certificate: b64(signCsr(`${target.csr}\n`, ca)),
      "ca-certificate": b64(ca.pem),
    };
  });

  it("provide-certificate with unit-name reads that unit's databag and ours, no other", async () => {
    const run = await model.sim.runAction(`${OPERATOR}/leader`, "provide-certificate", {
      ...params,
      "unit-name": target.unit,
    });
    assert.equal(run.status, "completed", run.message);
    const bags = reads(run.toolCalls).filter((call) => call.startsWith("relation-get"));
    const expected = [
      `relation-get --format=json -r ${target.relationId} --app - ${OPERATOR}`,
      `relation-get --format=json -r ${target.relationId} - ${target.unit}`,
    ];
    assert.deepEqual(bags.sort(), expected.sort());
    assert.deepEqual(repeated(run.toolCalls), []);
  });

  it("provide-certificate with relation-id and unit-name lists one relation only", async () => {
    const run = await model.sim.runAction(`${OPERATOR}/leader`, "provide-certificate", {
      ...params,
      "unit-name": target.unit,
      "relation-id": target.relationId,
    });
    assert.equal(run.status, "completed", run.message);
    const others = reads(run.toolCalls).filter(
      (call) => call.startsWith("relation-") && !call.includes(`-r ${target.relationId}`),
    );
    assert.deepEqual(others, ["relation-ids certificates --format=json", TRACING_CHECK]);
  });

  it("get-outstanding-certificate-requests reads no more than the full look does", async () => {
    const listing = await model.sim.runAction(
      `${OPERATOR}/leader`,
      "get-outstanding-certificate-requests",
    );
    assert.equal(listing.status, "completed", listing.message);
    const fullLook = await model.sim.runHook(model.leader, "leader-elected");
    const reconciled = new Set(reads(fullLook.toolCalls));
    const extra = reads(listing.toolCalls).filter(
      (call) => !reconciled.has(call) && call !== "action-get --format=json",
    );
    assert.deepEqual(extra, []);
    assert.deepEqual(repeated(listing.toolCalls), []);
  });

  it("provide-certificate without unit-name reads each databag once", async () => {
    const run = await model.sim.runAction(`${OPERATOR}/leader`, "provide-certificate", params);
    assert.equal(run.status, "completed", run.message);
    assert.deepEqual(repeated(run.toolCalls), []);
    const units = model.relations.reduce((sum, relation) => sum + relation.units.length, 0);
    const unitBags = reads(run.toolCalls).filter(
      (call) => call.startsWith("relation-get") && !call.includes("--app"),
    );
    assert.ok(unitBags.length <= units);
  });

  it("a non-leader's action runs is-leader and action-fail, then looks for a tracing relation", async () => {
    const run = await model.sim.runAction(
      model.operatorUnits[1]!,
      "get-outstanding-certificate-requests",
    );
    assert.equal(run.status, "failed");
    const tools = run.toolCalls.map((call) => call[0]).filter((tool) => tool !== "juju-log");
    assert.deepEqual(tools, ["is-leader", "action-fail", "relation-ids"]);
  });
});
