// Juju keeps one application's settings on one relation as one database document: 16 MB of BSON
// in Juju 3.6 (MongoDB), 16 MiB checked per commit in Juju 4 (juju/juju PR #22664). A hook
// whose write goes past it fails on every retry, so the charm keeps its databag under 8 MiB.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { DATABAG_BUDGET_BYTES } from "../../src/charm/databag-budget.ts";
import type { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr, type CaFixture } from "../x509/fixtures.ts";
import { OPERATOR, deployModel, outstanding, provide, type RequestView } from "./harness.ts";

const LEADER_UNIT = `${OPERATOR}/0`;
const bytesOf = (bag: Record<string, string>) =>
  Object.entries(bag).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

describe("our application databag on one relation stays under the safe bound", () => {
  let sim: Simulator;
  let relationId: number;
  let request: RequestView;
  let ca: CaFixture;

  before(async () => {
    const model = await deployModel({ requirers: [{ units: 1 }] });
    sim = model.sim;
    relationId = model.relations["tls-requirer"] ?? -1;
    [request] = (await outstanding(sim)) as [RequestView];
    ca = makeCa();
  });

  /** Fills our databag with other keys up to `bytes`, as a charm's older revision might have. */
  function fillOurDatabag(bytes: number): Record<string, string> {
    const bag = { ...sim.relationData(relationId, OPERATOR) };
    delete bag["padding"];
    bag["padding"] = "x".repeat(bytes - bytesOf(bag) - "padding".length);
    sim.setRelationData(relationId, OPERATOR, bag);
    assert.equal(bytesOf(bag), bytes);
    return bag;
  }

  it("provide-certificate refuses a write past the bound, says why and what to do, writes nothing", async () => {
    const before = fillOurDatabag(DATABAG_BUDGET_BYTES - 1000);
    const run = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "failed");
    assert.match(run.message ?? "", new RegExp(`certificates:${relationId}`));
    assert.match(run.message ?? "", /over the 8 MiB/);
    assert.match(run.message ?? "", /16 MiB/);
    assert.match(run.message ?? "", /revoke|remove|no longer/i);
    assert.deepEqual(sim.relationData(relationId, OPERATOR), before);
  });

  it("reconcile never writes past the bound: it keeps the data and blocks naming the relation", async () => {
    // Without a certificates key, reconcile wants to write one ("[]"), which would cross. An older
    // revision left the databag so; upgrade-charm looks at every relation.
    const before = { padding: "x".repeat(DATABAG_BUDGET_BYTES - 1 - "padding".length) };
    sim.setRelationData(relationId, OPERATOR, before);
    const run = await sim.runHook(LEADER_UNIT, "upgrade-charm");
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(sim.relationData(relationId, OPERATOR), before);
    const status = sim.unitStatus(LEADER_UNIT);
    assert.equal(status.status, "blocked");
    assert.match(status.message, new RegExp(`certificates:${relationId}`));
    assert.ok(
      sim.logs(LEADER_UNIT).some((line) => line.level === "WARNING" && /8 MiB/.test(line.message)),
    );
  });

  it("serves again once the databag is back under the bound", async () => {
    const bag = sim.relationData(relationId, OPERATOR);
    delete bag["padding"];
    sim.setRelationData(relationId, OPERATOR, bag);
    const run = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    assert.equal(sim.unitStatus(LEADER_UNIT).status, "active");
  });
});
