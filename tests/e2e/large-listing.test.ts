import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrFactory } from "../../bench/csrs.ts";
import { LEADER, deployModel } from "./harness.ts";

describe("listing more requests than one action result holds", () => {
  it("lists as many as fit, says how many there are, and the rest come next", async () => {
    const { sim, relations } = await deployModel({ requirers: [{}] });
    const relationId = relations["tls-requirer"] ?? -1;
    const factory = csrFactory();
    const csrs = Array.from({ length: 300 }, (_, n) => factory.csr(`host-${n}.example`));
    sim.setRelationData(relationId, "tls-requirer", {
      certificate_signing_requests: JSON.stringify(
        csrs.map((csr) => ({ certificate_signing_request: csr, ca: false })),
      ),
    });
    const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests");
    assert.equal(run.status, "completed", run.message);
    const listed = JSON.parse(String(run.results["result"])) as { csr: string }[];
    assert.ok(listed.length > 50 && listed.length < 300, `${listed.length} listed`);
    assert.equal(run.results["listed"], String(listed.length));
    assert.equal(run.results["total"], "301");
    assert.ok(run.logs.some((line) => line.includes(`listing ${listed.length} of 301`)));

    const pem = await sim.runAction(LEADER, "get-outstanding-certificate-requests", {
      format: "pem",
    });
    const blocks = String(pem.results["result"]).match(/BEGIN CERTIFICATE REQUEST/g)?.length ?? 0;
    assert.equal(pem.results["listed"], String(blocks));
    assert.ok(blocks > 50 && blocks < 301);

    const byRelation = await sim.runAction(LEADER, "get-certificate-request", {
      "relation-id": relationId,
    });
    assert.equal(byRelation.status, "completed", byRelation.message);
    assert.equal(byRelation.results["total"], "301");
  });
});
