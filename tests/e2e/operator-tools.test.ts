import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr, type CaFixture } from "../x509/fixtures.ts";
import {
  LEADER,
  OPERATOR,
  base64,
  deployModel,
  listed,
  outstanding,
  provide,
  received,
  type RequestView,
} from "./harness.ts";

interface IssuedView {
  relation_id: number;
  application_name: string;
  unit_name: string | null;
  subject: string;
  sans: string[];
  serial: string;
  not_after: string;
  days_left: number;
  is_ca: boolean;
  revoked: boolean;
}

describe("beyond the reference: inventory, expiry, revocation, refusal, PEM listing", () => {
  let sim: Simulator;
  let relationId: number;
  let requests: RequestView[];
  let ca: CaFixture;
  const DAY = 86_400_000;

  before(async () => {
    const model = await deployModel({
      requirers: [{ units: 3, config: { library: "charmlibs" } }],
    });
    sim = model.sim;
    relationId = model.relations["tls-requirer"] ?? -1;
    requests = (await outstanding(sim)).sort((a, b) =>
      String(a.unit_name).localeCompare(String(b.unit_name)),
    );
    ca = makeCa();
  });

  const ourBag = () => sim.relationData(relationId, OPERATOR);
  const status = () => sim.unitStatus(`${OPERATOR}/0`);
  const requestOf = (unit: string) => requests.find((r) => r.unit_name === unit)!;

  it("lists outstanding CSRs as one PEM bundle with format=pem", async () => {
    const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests", {
      format: "pem",
    });
    const bundle = String(run.results["result"]);
    assert.equal(bundle.match(/-----BEGIN CERTIFICATE REQUEST-----/g)?.length, 3);
    for (const request of requests) assert.ok(bundle.includes(request.csr));
  });

  it("warns in the status about a certificate that expires soon, and lists it as issued", async () => {
    const request = requestOf("tls-requirer/0");
    const run = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca, { days: 10 }),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    await sim.runHook(`${OPERATOR}/0`, "update-status");
    const notAfter = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    assert.deepEqual(
      [status().status, status().message],
      [
        "active",
        `2 outstanding requests, use juju actions to provide certificates; 1 certificate expires within 30 days (first: tls-requirer/0 on ${notAfter})`,
      ],
    );
    await sim.config(OPERATOR, { "expiry-warning-days": 5 });
    assert.equal(
      status().message,
      "2 outstanding requests, use juju actions to provide certificates",
    );

    const issued = JSON.parse(
      String((await sim.runAction(LEADER, "get-issued-certificates")).results["result"]),
    ) as IssuedView[];
    assert.equal(issued.length, 1);
    assert.equal(issued[0]?.unit_name, "tls-requirer/0");
    assert.equal(issued[0]?.application_name, "tls-requirer");
    assert.ok(issued[0]?.subject.includes("CN=cert-0.unit-0.tls-requirer"));
    assert.ok(issued[0]?.sans.some((san) => san.startsWith("DNS:")));
    assert.ok([9, 10].includes(issued[0]?.days_left ?? -1));
    assert.deepEqual([issued[0]?.is_ca, issued[0]?.revoked], [false, false]);
  });

  it("blocks with a status naming an expired certificate", async () => {
    const bag = ourBag();
    const entries = JSON.parse(bag["certificates"] ?? "[]") as Record<string, unknown>[];
    const request = requestOf("tls-requirer/1");
    const expired = signCsr(request.csr, ca, {
      notBefore: new Date(Date.now() - 20 * DAY),
      notAfter: new Date(Date.now() - 2 * DAY),
    }).trim();
    sim.setRelationData(relationId, OPERATOR, {
      ...bag,
      certificates: JSON.stringify([
        ...entries,
        {
          ca: ca.pem.trim(),
          certificate_signing_request: request.csr,
          certificate: expired,
          chain: [expired, ca.pem.trim()],
        },
      ]),
    });
    // No action can provide an expired certificate: this one stands for one provided long ago
    // (an earlier revision's data). upgrade-charm looks at every relation and keeps its dates.
    await sim.runHook(`${OPERATOR}/0`, "upgrade-charm");
    assert.equal(status().status, "blocked");
    assert.match(
      status().message,
      /1 certificate has expired \(first: tls-requirer\/1 on \d{4}-\d{2}-\d{2}\)/,
    );
    const run = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    await sim.runHook(`${OPERATOR}/0`, "update-status");
    assert.equal(status().status, "active");
  });

  it("revokes a certificate: the requirer drops it and the CSR is outstanding again", async () => {
    const request = requestOf("tls-requirer/0");
    const run = await sim.runAction(LEADER, "revoke-certificate", {
      "certificate-signing-request": base64(request.csr),
    });
    assert.equal(run.status, "completed", run.message);
    assert.match(ourBag()["certificates"] ?? "", /"revoked": true\}/);
    assert.ok((await outstanding(sim)).some((r) => r.unit_name === "tls-requirer/0"));
    assert.equal(typeof (await received(sim, "tls-requirer/0")), "string");
    const again = await sim.runAction(LEADER, "revoke-certificate", {
      "certificate-signing-request": base64(request.csr),
    });
    assert.match(again.message ?? "", /already revoked/);

    const renewed = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(renewed.status, "completed", renewed.message);
    assert.ok(!(ourBag()["certificates"] ?? "").includes("revoked"));
    assert.ok(Array.isArray(await received(sim, "tls-requirer/0")));
  });

  it("rejects a request: not outstanding, the reason in request_errors under csr, lifted by a later provide", async () => {
    const request = requestOf("tls-requirer/2");
    const run = await sim.runAction(LEADER, "reject-certificate-request", {
      "certificate-signing-request": base64(request.csr),
      reason: "example.com is not ours to certify",
    });
    assert.equal(run.status, "completed", run.message);
    assert.equal(run.results["unit-name"], "tls-requirer/2");
    assert.equal(
      ourBag()["request_errors"],
      `[{"csr": ${JSON.stringify(request.csr)}, "error": {"code": 999, "name": "other", "message": "example.com is not ours to certify"}}]`,
    );
    assert.ok(!(await outstanding(sim)).some((r) => r.unit_name === "tls-requirer/2"));
    const byRelation = listed(
      await sim.runAction(LEADER, "get-certificate-request", { "relation-id": relationId }),
    );
    assert.equal(
      (byRelation.find((r) => r.unit_name === "tls-requirer/2") as unknown as { rejected: string })
        .rejected,
      "example.com is not ours to certify",
    );
    // charmlibs requirers must still read the databag: the other units keep their certificates.
    assert.ok(Array.isArray(await received(sim, "tls-requirer/0")));

    const provided = await provide(sim, {
      csr: request.csr,
      certificate: signCsr(request.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(provided.status, "completed", provided.message);
    assert.equal(ourBag()["request_errors"], undefined);
    assert.ok(Array.isArray(await received(sim, "tls-requirer/2")));
  });

  it("refuses a rejection without a reason", async () => {
    await assert.rejects(
      sim.runAction(LEADER, "reject-certificate-request", { "certificate-signing-request": "x" }),
      /validation failed/,
    );
    const run = await sim.runAction(LEADER, "reject-certificate-request", {
      "certificate-signing-request": base64(requestOf("tls-requirer/2").csr),
      reason: "   ",
    });
    assert.equal(run.status, "failed");
    assert.match(run.message ?? "", /reason: must say why/);
  });
});
