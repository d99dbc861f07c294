import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { everyAction } from "../actions-yaml.ts";
import type { Simulator } from "../simulator/index.ts";
import { makeCa, makeCsr, signCsr } from "../x509/fixtures.ts";
import {
  LEADER,
  OPERATOR,
  REQUIRER_DIR,
  base64,
  deployModel,
  followerOf,
  leaderOf,
  outstanding,
  provide,
} from "./harness.ts";

const REQUESTS = "certificate_signing_requests";

describe("every hook reconciles requests and answers", () => {
  let sim: Simulator;
  let relationId: number;
  const ca = makeCa();

  before(async () => {
    const model = await deployModel({ operatorUnits: 2, requirers: [{ units: 3 }] });
    sim = model.sim;
    relationId = model.relations["tls-requirer"] ?? -1;
    for (const request of await outstanding(sim)) {
      const run = await provide(sim, {
        csr: request.csr,
        certificate: signCsr(request.csr, ca),
        caCertificate: ca.pem,
      });
      assert.equal(run.status, "completed", run.message);
    }
  });

  const ourEntries = () =>
    JSON.parse(sim.relationData(relationId, OPERATOR)["certificates"] ?? "null") as {
      certificate_signing_request: string;
    }[];

  it("shows on a non-leader that the leader serves requests, and refuses actions there", async () => {
    const nonLeader = followerOf(sim);
    assert.equal(
      sim.unitStatus(nonLeader).message,
      "Standby: the leader unit serves certificate requests",
    );
    const [entry] = JSON.parse(sim.relationData(relationId, OPERATOR)["certificates"] ?? "[]") as {
      certificate_signing_request: string;
      certificate: string;
      ca: string;
    }[];
    assert.ok(entry, "the leader published a certificate");
    const csr = base64(entry.certificate_signing_request);
    // Every action of actions.yaml, each with parameters it would accept on the leader.
    const actions = everyAction<Record<string, unknown>>({
      "get-outstanding-certificate-requests": {},
      "get-certificate-request": { "relation-id": relationId },
      "provide-certificate": {
        "certificate-signing-request": csr,
        certificate: base64(entry.certificate),
        "ca-certificate": base64(entry.ca),
      },
      "provide-certificates": {
        certificates: base64(entry.certificate),
        "ca-certificate": base64(entry.ca),
      },
      "get-issued-certificates": {},
      "revoke-certificate": { "certificate-signing-request": csr },
      "reject-certificate-request": { "certificate-signing-request": csr, reason: "test" },
    });
    const published = sim.relationData(relationId, OPERATOR);
    const logged = sim.logs(nonLeader).length;
    for (const [action, params] of actions) {
      const run = await sim.runAction(nonLeader, action, params);
      assert.equal(run.status, "failed", action);
      assert.equal(
        run.message,
        `${nonLeader} is not the leader; run this action on the leader: ` +
          `juju run ${OPERATOR}/leader ${action} ...`,
      );
    }
    const errors = sim
      .logs(nonLeader)
      .slice(logged)
      .filter((line) => line.level === "ERROR");
    assert.deepEqual(errors, []);
    assert.deepEqual(sim.relationData(relationId, OPERATOR), published);
  });

  it("filters by relation-id and names unknown relations", async () => {
    // relation-id 0 is the case a truthiness check gets wrong, so the first relation must be 0.
    assert.equal(relationId, 0);
    await sim.deploy("other-requirer", REQUIRER_DIR, { units: 1 });
    const other = await sim.integrate(`${OPERATOR}:certificates`, "other-requirer:certificates");
    try {
      const everywhere = await outstanding(sim);
      assert.deepEqual(
        everywhere.map((request) => [request.relation_id, request.unit_name]),
        [[other, "other-requirer/0"]],
      );
      assert.deepEqual(await outstanding(sim, { "relation-id": relationId }), []);
      assert.deepEqual(await outstanding(sim, { "relation-id": other }), everywhere);
      const run = await sim.runAction(LEADER, "get-certificate-request", { "relation-id": 42 });
      assert.equal(run.status, "failed");
      assert.match(
        run.message ?? "",
        new RegExp(
          `relation-id 42 is not a certificates relation of ${OPERATOR}; ` +
            `its certificates relations are: ${relationId}, ${other}`,
        ),
      );
    } finally {
      await sim.removeRelation(other);
    }
    assert.deepEqual(await outstanding(sim), []);
  });

  it("skips a malformed request with a log naming the unit, and serves the others", async () => {
    const bag = sim.relationData(relationId, "tls-requirer/2");
    const good = makeCsr();
    sim.setRelationData(
      relationId,
      "tls-requirer/2",
      {
        ...bag,
        [REQUESTS]: JSON.stringify([
          {
            certificate_signing_request:
              "-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----",
          },
          { certificate_signing_request: 42 },
          ...(JSON.parse(bag[REQUESTS] ?? "[]") as unknown[]),
          { certificate_signing_request: good.pem },
        ]),
      },
      { notify: true },
    );
    await sim.settle();
    assert.equal(sim.agentStatus(leaderOf(sim)).status, "idle");
    const requests = await outstanding(sim);
    assert.deepEqual(
      requests.map((r) => [r.unit_name, r.csr]),
      [["tls-requirer/2", good.pem.trim()]],
    );
    const warnings = sim
      .logs(leaderOf(sim))
      .filter((line) => line.level === "WARNING" && line.message.includes("tls-requirer/2"));
    assert.ok(
      warnings.some((line) => line.message.includes("item 1")),
      JSON.stringify(warnings),
    );
    assert.ok(warnings.some((line) => line.message.includes("certificate signing request")));
    assert.equal(ourEntries().length, 3, "the certificates already given must stay");
    sim.setRelationData(relationId, "tls-requirer/2", bag, { notify: true });
    await sim.settle();
    assert.deepEqual(await outstanding(sim), []);
  });

  it("keeps every certificate while a requirer's databag is unreadable", async () => {
    const bag = sim.relationData(relationId, "tls-requirer/1");
    sim.setRelationData(
      relationId,
      "tls-requirer/1",
      { ...bag, [REQUESTS]: "{not json" },
      { notify: true },
    );
    await sim.settle();
    assert.equal(ourEntries().length, 3);
    sim.setRelationData(relationId, "tls-requirer/1", bag, { notify: true });
    await sim.settle();
    assert.equal(ourEntries().length, 3);
  });

  it("keeps a certificate already issued for a CSR that the per-hook check would now refuse", async () => {
    // As after an upgrade to a charm that checks requests more strictly: what the operator
    // provided stays, and only the unanswered request is refused.
    const unit = "tls-requirer/0";
    const bag = sim.relationData(relationId, unit);
    const ours = sim.relationData(relationId, OPERATOR);
    const [issuedTo, refused] = [
      makeCsr({ keyType: "rsa-1024" }),
      makeCsr({ keyType: "rsa-1024" }),
    ];
    const entries = JSON.parse(ours["certificates"] ?? "[]") as Record<string, unknown>[];
    const issued = { ...entries[0], certificate_signing_request: issuedTo.pem.trim() };
    sim.setRelationData(relationId, OPERATOR, {
      ...ours,
      certificates: JSON.stringify([...entries, issued]),
    });
    const withOld = [
      ...(JSON.parse(bag[REQUESTS] ?? "[]") as unknown[]),
      { certificate_signing_request: issuedTo.pem },
      { certificate_signing_request: refused.pem },
    ];
    sim.setRelationData(
      relationId,
      unit,
      { ...bag, [REQUESTS]: JSON.stringify(withOld) },
      {
        notify: true,
      },
    );
    await sim.settle();
    const kept = ourEntries().map((entry) => entry.certificate_signing_request);
    assert.ok(kept.includes(issuedTo.pem.trim()), "the issued certificate must stay");
    assert.equal(kept.length, 4);
    const warnings = sim
      .logs(leaderOf(sim))
      .filter((line) => line.level === "WARNING" && line.message.includes("RSA 1024"));
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.deepEqual(await outstanding(sim), []);
    sim.setRelationData(relationId, OPERATOR, ours);
    sim.setRelationData(relationId, unit, bag, { notify: true });
    await sim.settle();
    assert.equal(ourEntries().length, 3);
  });

  it("drops the answer to a CSR that was renewed, and lists the new one", async () => {
    const before = ourEntries().map((e) => e.certificate_signing_request);
    const run = await sim.runAction("tls-requirer/0", "renew");
    assert.equal(run.status, "completed", run.message);
    const after = ourEntries().map((e) => e.certificate_signing_request);
    assert.equal(after.length, 2);
    assert.ok(after.every((csr) => before.includes(csr)));
    const units = (await outstanding(sim)).map((r) => r.unit_name);
    assert.deepEqual(units, ["tls-requirer/0"]);
  });

  it("drops the answers of a unit that departed", async () => {
    await sim.removeUnit("tls-requirer/1");
    assert.equal(ourEntries().length, 1);
    const units = (await outstanding(sim)).map((r) => r.unit_name);
    assert.deepEqual(units, ["tls-requirer/0"]);
    assert.equal(
      sim.unitStatus(leaderOf(sim)).message,
      "1 outstanding request, use juju actions to provide certificates",
    );
  });

  it("writes [] rather than nothing once no certificate is left", async () => {
    await sim.removeUnit("tls-requirer/2");
    await sim.removeUnit("tls-requirer/0");
    assert.equal(sim.relationData(relationId, OPERATOR)["certificates"], "[]");
  });
});
