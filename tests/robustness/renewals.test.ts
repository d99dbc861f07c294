// `renews` in the listings, in-process: which certificate a request renews, and that it is never
// the one issued for that very request (issue 21). Requirers renew the way charmlibs does: the
// unit replaces its CSR with one for the same names and a fresh x500UniqueIdentifier, and the
// relation-changed that follows drops the answer to the old one.
import assert from "node:assert/strict";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { issueFor } from "../e2e/batch-fixtures.ts";
import { makeCa } from "../x509/fixtures.ts";
import { OID, rawCsr } from "../x509/raw-csr.ts";
import { MemoryJuju, type ActionResult } from "./memory-juju.ts";

const REQUESTS = "certificate_signing_requests";
const DAY = 86_400_000;
const ca = makeCa({ commonName: "Renewals Root" });
const b64 = (text: string) => Buffer.from(text).toString("base64");

let uniqueIds = 0;
/** A CSR as charmlibs makes one: a fresh key and UUID, the names the unit asks for. */
function request(commonName: string, dnsNames: readonly string[]): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return rawCsr({
    key: privateKey,
    subject: [
      { oid: OID.commonName, value: commonName },
      { oid: OID.x500UniqueIdentifier, value: `uuid-${++uniqueIds}` },
    ],
    sans: dnsNames.map((dns) => ({ dns })),
  });
}

interface Listed {
  csr: string;
  unit_name: string | null;
  has_certificate?: boolean;
  renews: { serial: string; not_after: string } | null;
}

function listed(run: ActionResult): Listed[] {
  assert.equal(run.failed, undefined, run.failed);
  return JSON.parse(run.results["result"] ?? "null") as Listed[];
}

const outstanding = async (juju: MemoryJuju) =>
  listed(await juju.action("get-outstanding-certificate-requests", {}));
const ofRelation = async (juju: MemoryJuju, relationId: number) =>
  listed(await juju.action("get-certificate-request", { "relation-id": relationId }));
const entryFor = (entries: readonly Listed[], csr: string): Listed => {
  const found = entries.find((entry) => entry.csr === csr);
  assert.ok(found, "the request is listed");
  return found;
};

/** What `renews` says of a certificate: its serial and expiry. */
function renewsOf(certificate: string): { serial: string; not_after: string } {
  const parsed = new X509Certificate(certificate);
  return { serial: parsed.serialNumber, not_after: new Date(parsed.validTo).toISOString() };
}

/** The unit's databag now asks for these CSRs, and the hook that follows has run. */
async function ask(juju: MemoryJuju, relationId: number, unit: string, csrs: readonly string[]) {
  juju.relation(relationId).units[unit] = {
    [REQUESTS]: JSON.stringify(csrs.map((csr) => ({ certificate_signing_request: csr }))),
  };
  const hook = await juju.hook("certificates-relation-changed", { relationId, remoteUnit: unit });
  assert.equal(hook.exitCode, 0);
}

async function provide(juju: MemoryJuju, csr: string, certificate: string): Promise<void> {
  const run = await juju.action("provide-certificate", {
    "certificate-signing-request": b64(csr),
    certificate: b64(certificate),
    "ca-certificate": b64(ca.pem),
  });
  assert.equal(run.failed, undefined, run.failed);
}

describe("a request never renews the certificate issued for it", () => {
  it("not while it holds it, nor once it is revoked; its successor renews it", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha");
    const first = request("svc.example", ["svc.example"]);
    await ask(juju, 0, "alpha/0", [first]);
    const certificate = issueFor(first, ca);
    await provide(juju, first, certificate);

    const held = entryFor(await ofRelation(juju, 0), first);
    assert.deepEqual([held.has_certificate, held.renews], [true, null]);
    const text = await juju.action("get-certificate-request", { "relation-id": 0, format: "text" });
    assert.match(
      text.results["result"] ?? "",
      /alpha\/0\s+certificate\s+EC P-256\s+no\s+-\s+x500UniqueIdentifier=/,
    );

    const revoked = await juju.action("revoke-certificate", {
      "certificate-signing-request": b64(first),
    });
    assert.equal(revoked.failed, undefined, revoked.failed);
    assert.equal(entryFor(await outstanding(juju), first).renews, null);
    const afterRevoke = entryFor(await ofRelation(juju, 0), first);
    assert.deepEqual([afterRevoke.has_certificate, afterRevoke.renews], [false, null]);

    const successor = request("svc.example", ["svc.example"]);
    await ask(juju, 0, "alpha/0", [successor]);
    assert.deepEqual(entryFor(await outstanding(juju), successor).renews, renewsOf(certificate));
  });

  it("a certificate from provide-certificates is renewed like one from provide-certificate", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha");
    const first = request("batch.example", ["batch.example"]);
    await ask(juju, 0, "alpha/0", [first]);
    const certificate = issueFor(first, ca);
    const run = await juju.action("provide-certificates", {
      certificates: b64(certificate),
      "ca-certificate": b64(ca.pem),
    });
    assert.equal(run.results["provided"], "1", JSON.stringify(run.results));
    assert.equal(entryFor(await ofRelation(juju, 0), first).renews, null);

    const successor = request("batch.example", ["batch.example"]);
    await ask(juju, 0, "alpha/0", [successor]);
    assert.deepEqual(entryFor(await outstanding(juju), successor).renews, renewsOf(certificate));
  });
});

describe("a request renews only its own holder's certificate for the same names", () => {
  it("not another unit's, not one for other SANs; SANs in another order are the same names", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha");
    const names = ["a.example", "b.example"];
    const first = request("pair.example", names);
    await ask(juju, 0, "alpha/0", [first]);
    const certificate = issueFor(first, ca);
    await provide(juju, first, certificate);

    const reordered = request("pair.example", [...names].reverse());
    const otherSans = request("pair.example", ["a.example"]);
    await ask(juju, 0, "alpha/0", [reordered, otherSans]);
    const otherUnit = request("pair.example", names);
    await ask(juju, 0, "alpha/1", [otherUnit]);

    const listing = await outstanding(juju);
    assert.deepEqual(entryFor(listing, reordered).renews, renewsOf(certificate));
    assert.equal(entryFor(listing, otherSans).renews, null);
    assert.equal(entryFor(listing, otherUnit).renews, null);
  });
});

describe("what is remembered of issued certificates", () => {
  it("names the latest certificate, and keeps other units' and other relations' records", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha");
    juju.addRelation("beta");
    const issue = (csr: string, days: number) =>
      issueFor(csr, ca, { notAfter: new Date(Date.now() + days * DAY) });

    const svc1 = request("svc.example", ["svc.example"]);
    const other1 = request("other.example", ["other.example"]);
    const beta1 = request("beta.example", ["beta.example"]);
    await ask(juju, 0, "alpha/0", [svc1]);
    await ask(juju, 0, "alpha/1", [other1]);
    await ask(juju, 1, "beta/0", [beta1]);
    const svcCertificate1 = issue(svc1, 30);
    const otherCertificate = issue(other1, 30);
    const betaCertificate = issue(beta1, 30);
    await provide(juju, svc1, svcCertificate1);
    await provide(juju, other1, otherCertificate);
    await provide(juju, beta1, betaCertificate);

    // alpha/0 renews once, and is answered: that is now the certificate a renewal renews.
    const svc2 = request("svc.example", ["svc.example"]);
    await ask(juju, 0, "alpha/0", [svc2]);
    assert.deepEqual(entryFor(await outstanding(juju), svc2).renews, renewsOf(svcCertificate1));
    const svcCertificate2 = issue(svc2, 60);
    await provide(juju, svc2, svcCertificate2);

    const svc3 = request("svc.example", ["svc.example"]);
    const other2 = request("other.example", ["other.example"]);
    const beta2 = request("beta.example", ["beta.example"]);
    await ask(juju, 0, "alpha/0", [svc3]);
    await ask(juju, 0, "alpha/1", [other2]);
    await ask(juju, 1, "beta/0", [beta2]);
    const listing = await outstanding(juju);
    assert.deepEqual(entryFor(listing, svc3).renews, renewsOf(svcCertificate2));
    assert.deepEqual(entryFor(listing, other2).renews, renewsOf(otherCertificate));
    assert.deepEqual(entryFor(listing, beta2).renews, renewsOf(betaCertificate));
  });
});
