// Edges the generated databags reach only by luck, pinned one by one (in-process).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serializeProvidedCertificates } from "../../src/interface/provided-certificates.ts";
import { MemoryJuju, wroteRelation } from "./memory-juju.ts";
import { buildPool, type PoolEntry } from "./pool.ts";

const REQUESTS = "certificate_signing_requests";
const pool = buildPool(3);
const ca = pool.ca.pem.trim();
const entry = ({ csr, certificate }: PoolEntry) => ({
  csr,
  certificate,
  ca,
  chain: [certificate, ca],
  revoked: false,
});
const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("reconcile and actions at the edges", () => {
  it("keeps a certificate whose CSR stands past the first 5000 items of a databag", async () => {
    const [a, b] = [pool.good[0]!, pool.good[1]!];
    const items = [
      { certificate_signing_request: a.csr, ca: false },
      ...Array.from({ length: 5000 }, (_, i) => ({ certificate_signing_request: i })),
      { certificate_signing_request: b.csr, ca: false },
    ];
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": { [REQUESTS]: JSON.stringify(items) } });
    const before = serializeProvidedCertificates([entry(b)]);
    juju.relation(0).ourAppData["certificates"] = before;
    const run = await juju.hook("update-status");
    assert.equal(run.exitCode, 0);
    assert.ok(
      juju.relation(0).ourAppData["certificates"] === before,
      "the certificate of the 5002nd item was dropped",
    );
  });

  it("a non-leader's hooks read no databag of ours and write nothing", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha", {
      "alpha/0": {
        [REQUESTS]: JSON.stringify([{ certificate_signing_request: pool.good[0]!.csr }]),
      },
    });
    for (const hook of ["update-status", "config-changed", "leader-settings-changed"]) {
      const run = await juju.hook(hook, { unit: "tls-certificates-operator/1" });
      assert.equal(run.exitCode, 0);
      assert.equal(wroteRelation(run.calls), false);
      assert.equal(
        run.calls.some((call) => call[0] === "relation-get" && call.includes("--app")),
        false,
      );
      assert.match(run.status?.message ?? "", /^Standby/);
    }
  });

  it("the same CSR in two relations: listed in both, provide needs relation-id", async () => {
    const { csr, certificate } = pool.good[2]!;
    const bag = { [REQUESTS]: JSON.stringify([{ certificate_signing_request: csr, ca: false }]) };
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": { ...bag } });
    juju.addRelation("beta", { "beta/0": { ...bag } });
    await juju.hook("update-status");
    const before = juju.published();
    const listing = await juju.action("get-outstanding-certificate-requests", {});
    const listed = JSON.parse(listing.results["result"] ?? "[]") as { relation_id: number }[];
    assert.deepEqual(
      listed.map((item) => item.relation_id),
      [0, 1],
    );
    const params = {
      "certificate-signing-request": b64(csr),
      certificate: b64(certificate),
      "ca-certificate": b64(ca),
    };
    const refused = await juju.action("provide-certificate", params);
    assert.match(refused.failed ?? "", /requested on relations 0 and 1; pass relation-id/);
    assert.equal(wroteRelation(refused.calls), false);
    assert.deepEqual(juju.published(), before);
    const provided = await juju.action("provide-certificate", { ...params, "relation-id": 1 });
    assert.equal(provided.failed, undefined, provided.failed);
    assert.equal(juju.published()[0], before[0]);
    assert.match(juju.published()[1] ?? "", /BEGIN CERTIFICATE/);
  });
});
