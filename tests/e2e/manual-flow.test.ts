import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import { LEADER, OPERATOR, deployModel, outstanding, provide, received } from "./harness.ts";

describe("the manual signing flow through the real dispatch", () => {
  it("waits for requirers when nothing is related", async () => {
    const { sim } = await deployModel();
    const { status, message } = sim.unitStatus(`${OPERATOR}/0`);
    assert.deepEqual(
      [status, message],
      ["active", "Waiting for requirers: integrate a charm with the certificates endpoint"],
    );
    const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests");
    assert.equal(run.status, "failed");
    assert.match(run.message ?? "", /No certificates relation has been created yet/);
  });

  it("lists the requirer's CSR, accepts the signed certificate, and the requirer receives it", async () => {
    const { sim, relations } = await deployModel({ requirers: [{}] });
    const relationId = relations["tls-requirer"];
    assert.equal(
      sim.unitStatus(`${OPERATOR}/0`).message,
      "1 outstanding request, use juju actions to provide certificates",
    );

    const [request, ...rest] = await outstanding(sim);
    assert.equal(rest.length, 0);
    assert.ok(request);
    assert.equal(request.relation_id, relationId);
    assert.equal(request.application_name, "tls-requirer");
    assert.equal(request.unit_name, "tls-requirer/0");
    assert.equal(request.is_ca, false);
    const requirerBag = sim.relationData(relationId ?? -1, "tls-requirer/0");
    assert.equal(
      request.csr,
      (
        JSON.parse(requirerBag["certificate_signing_requests"] ?? "[]") as {
          certificate_signing_request: string;
        }[]
      )[0]?.certificate_signing_request.trim(),
    );

    const ca = makeCa();
    const certificate = signCsr(request.csr, ca);
    const run = await provide(sim, { csr: request.csr, certificate, caCertificate: ca.pem });
    assert.equal(run.status, "completed", run.message);
    assert.equal(run.results["result"], "Certificates successfully provided.");
    assert.equal(run.results["relation-id"], String(relationId));
    assert.equal(run.results["unit-name"], "tls-requirer/0");

    const got = await received(sim, "tls-requirer/0");
    assert.ok(Array.isArray(got), String(got));
    assert.equal(got[0]?.certificate.trim(), certificate.trim());
    assert.equal(got[0]?.["ca-certificate"].trim(), ca.pem.trim());
    assert.equal(sim.unitStatus(`${OPERATOR}/0`).message, "No outstanding requests.");
    assert.deepEqual(await outstanding(sim), []);
    await sim.runHook(`${OPERATOR}/0`, "update-status");
    assert.equal(sim.unitStatus(`${OPERATOR}/0`).message, "No outstanding requests.");
  });

  it("writes the databag every requirer library reads, byte for byte", async () => {
    const { sim, relations } = await deployModel({ requirers: [{}] });
    const relationId = relations["tls-requirer"] ?? -1;
    const [request] = await outstanding(sim);
    assert.ok(request);
    const ca = makeCa();
    const certificate = signCsr(request.csr, ca).trim();
    await provide(sim, { csr: request.csr, certificate, caCertificate: ca.pem });
    const expected =
      `[{"ca": ${JSON.stringify(ca.pem.trim())}, "certificate_signing_request": ${JSON.stringify(request.csr)}, ` +
      `"certificate": ${JSON.stringify(certificate)}, "chain": [${JSON.stringify(certificate)}, ${JSON.stringify(ca.pem.trim())}]}]`;
    assert.equal(sim.relationData(relationId, OPERATOR)["certificates"], expected);
  });
});
