// provide-certificates in-process: what a batch keeps of a relation's published lists, which
// request a certificate answers when its key stands in more than one, and keys a CA re-encodes.
// Each was a defect no test caught (issue 21); fast enough for `npm run mutants` to name.
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from "node:crypto";
import { describe, it } from "node:test";
import { csrSubjectPublicKeyInfo } from "../../src/x509/csr-check.ts";
import { distinctKeyCsrs, issueFor } from "../e2e/batch-fixtures.ts";
import { makeCa } from "../x509/fixtures.ts";
import {
  OID,
  ecSpkiCompressed,
  ecSpkiExplicit,
  rawCsr,
  rsaSpkiWithoutNull,
} from "../x509/raw-csr.ts";
import { MemoryJuju, wroteRelation, type ActionResult } from "./memory-juju.ts";

const REQUESTS = "certificate_signing_requests";
const ca = makeCa({ commonName: "Batch Answers Root" });
const csrs = distinctKeyCsrs();
const b64 = (text: string) => Buffer.from(text).toString("base64");
const requestBag = (...asked: string[]) => ({
  [REQUESTS]: JSON.stringify(asked.map((csr) => ({ certificate_signing_request: csr, ca: false }))),
});

interface BatchEntry {
  position: number;
  status: "provided" | "refused" | "unmatched";
  reason?: string;
  relation_id?: number;
  unit_name?: string;
}

function batch(
  juju: MemoryJuju,
  certificates: readonly string[],
  extra: Record<string, unknown> = {},
): Promise<ActionResult> {
  return juju.action("provide-certificates", {
    certificates: b64(certificates.join("\n")),
    "ca-certificate": b64(ca.pem),
    ...extra,
  });
}

function entries(run: ActionResult): BatchEntry[] {
  assert.equal(run.failed, undefined, run.failed);
  const listed = JSON.parse(run.results["result"] ?? "null") as BatchEntry[];
  return listed.sort((a, b) => a.position - b.position);
}

interface PublishedEntry {
  certificate_signing_request: string;
  certificate: string;
}

const publishedOn = (juju: MemoryJuju, relationId: number): PublishedEntry[] =>
  JSON.parse(juju.relation(relationId).ourAppData["certificates"] ?? "[]") as PublishedEntry[];

describe("a batch keeps what was already published on the relation", () => {
  it("a certificate and a refusal given to other requests stay, byte for byte, when a batch answers a third", async () => {
    const [issued, refused, third] = ["issued", "refused", "third"].map((name) =>
      csrs.csr(`${name}.batch.example`),
    ) as [string, string, string];
    const juju = new MemoryJuju();
    juju.addRelation("alpha", {
      "alpha/0": requestBag(issued),
      "alpha/1": requestBag(refused),
      "alpha/2": requestBag(third),
    });
    const provided = await juju.action("provide-certificate", {
      "certificate-signing-request": b64(issued),
      certificate: b64(issueFor(issued, ca)),
      "ca-certificate": b64(ca.pem),
    });
    assert.equal(provided.failed, undefined, provided.failed);
    const rejected = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(refused),
      reason: "not for this CA",
    });
    assert.equal(rejected.failed, undefined, rejected.failed);
    const before = { ...juju.relation(0).ourAppData };

    const run = await batch(juju, [issueFor(third, ca)]);
    assert.deepEqual(
      entries(run).map((entry) => [entry.status, entry.unit_name]),
      [["provided", "alpha/2"]],
    );
    const after = juju.relation(0).ourAppData;
    assert.equal(after["request_errors"], before["request_errors"]);
    const earlier = JSON.parse(before["certificates"] ?? "[]") as PublishedEntry[];
    assert.equal(earlier.length, 1);
    assert.deepEqual(
      publishedOn(juju, 0).filter((entry) => entry.certificate_signing_request !== third),
      earlier,
    );
    assert.deepEqual(
      publishedOn(juju, 0).map((entry) => entry.certificate_signing_request),
      [issued, third],
    );
    const states = await juju.action("get-certificate-request", { "relation-id": 0 });
    assert.deepEqual(
      (
        JSON.parse(states.results["result"] ?? "null") as {
          unit_name: string;
          has_certificate: boolean;
          rejected: string | null;
        }[]
      ).map(({ unit_name, has_certificate, rejected }) => [unit_name, has_certificate, rejected]),
      [
        ["alpha/0", true, null],
        ["alpha/1", false, "not for this CA"],
        ["alpha/2", true, null],
      ],
    );
  });
});

describe("a batch answers a request only where it is not ambiguous", () => {
  it("the same CSR on two relations is refused as ambiguous, and relation-id settles it", async () => {
    const shared = csrs.csr("shared.batch.example");
    const certificate = issueFor(shared, ca);
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(shared) });
    juju.addRelation("beta", { "beta/0": requestBag(shared) });

    const unsettled = await batch(juju, [certificate]);
    const [refused] = entries(unsettled);
    assert.equal(refused?.status, "refused");
    assert.equal(
      refused?.reason,
      "ambiguous: its public key stands in 2 requests (alpha/0 on relation 0, beta/0 on " +
        "relation 1); pass relation-id to choose one",
    );
    assert.equal(wroteRelation(unsettled.calls), false);
    assert.deepEqual(juju.published(), { 0: undefined, 1: undefined });

    const settled = await batch(juju, [certificate], { "relation-id": 1 });
    assert.deepEqual(
      entries(settled).map((entry) => [entry.status, entry.relation_id, entry.unit_name]),
      [["provided", 1, "beta/0"]],
    );
    assert.equal(juju.published()[0], undefined);
    assert.deepEqual(
      publishedOn(juju, 1).map((entry) => entry.certificate_signing_request),
      [shared],
    );
  });

  it("the same CSR in two databags of one relation is one request, answered once", async () => {
    const shared = csrs.csr("twice.batch.example");
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(shared), "alpha/1": requestBag(shared) });
    const run = await batch(juju, [issueFor(shared, ca)]);
    assert.deepEqual(
      entries(run).map((entry) => entry.status),
      ["provided"],
    );
    assert.deepEqual(
      publishedOn(juju, 0).map((entry) => entry.certificate_signing_request),
      [shared],
    );
  });

  it("two CSRs of one key on one relation are refused: only the CSR can tell them apart", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const subject = (name: string) => [{ oid: OID.commonName, value: name }];
    const old = rawCsr({ key: privateKey, subject: subject("same-key.batch.example") });
    const renewed = rawCsr({ key: privateKey, subject: subject("same-key-2.batch.example") });
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(old, renewed) });
    const run = await batch(juju, [issueFor(renewed, ca)]);
    const [refused] = entries(run);
    assert.equal(refused?.status, "refused");
    assert.match(
      refused?.reason ?? "",
      /^ambiguous: its public key stands in 2 requests \(alpha\/0 on relation 0, alpha\/0 on relation 0\); answer it with provide-certificate, which names the CSR$/,
    );
    assert.equal(wroteRelation(run.calls), false);
  });

  it("a second certificate for a request already answered in the bundle is refused; the first is published", async () => {
    const csr = csrs.csr("dup.batch.example");
    const first = issueFor(csr, ca);
    const second = issueFor(csr, ca);
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
    const run = await batch(juju, [first, second]);
    const [one, two] = entries(run);
    assert.equal(one?.status, "provided");
    assert.equal(two?.status, "refused");
    assert.equal(two?.reason, "certificate 1 of this bundle already answers the same request");
    assert.deepEqual(run.results["provided"], "1");
    assert.deepEqual(run.results["refused"], "1");
    assert.deepEqual(
      publishedOn(juju, 0).map((entry) => entry.certificate.trim()),
      [first.trim()],
    );
  });

  it("a block that is no certificate is refused on its own; the rest is provided", async () => {
    const csr = csrs.csr("beside-junk.batch.example");
    const junk = `-----BEGIN CERTIFICATE-----\n${b64("not DER at all")}\n-----END CERTIFICATE-----`;
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
    const run = await batch(juju, [junk, issueFor(csr, ca)]);
    assert.deepEqual(
      entries(run).map((entry) => entry.status),
      ["refused", "provided"],
    );
    assert.equal(publishedOn(juju, 0).length, 1);
  });
});

describe("a certificate whose public key the CA re-encoded still answers its request", () => {
  // Every curve the charm accepts (src/x509/keys.ts: P-256 and P-384; P-521 is refused), each
  // written two ways node does not export, on either side: in the CSR (its certificate as node
  // writes the key) and in the certificate (the CA re-encoded the CSR's key).
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const rsaWithoutNull = rsaSpkiWithoutNull(rsa);
  const subject = [{ oid: OID.commonName, value: "reencoded.example" }];
  const cases: {
    what: string;
    csr: string;
    certificate: string;
    key: KeyObject;
    curve?: "P-256" | "P-384";
  }[] = [
    {
      what: "RSA: parameters left out in the CSR, NULL in the certificate",
      csr: rawCsr({ key: rsa, subject, spki: rsaWithoutNull }),
      certificate: issueFor(rawCsr({ key: rsa, subject }), ca),
      key: rsa,
    },
  ];
  for (const curve of ["P-256", "P-384"] as const) {
    const key = generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
    for (const [encoding, encode] of [
      ["point compressed", ecSpkiCompressed],
      ["explicit curve parameters", ecSpkiExplicit],
    ] as const) {
      const encoded = encode(key);
      cases.push(
        {
          what: `EC ${curve}: ${encoding} in the CSR, named and uncompressed in the certificate`,
          csr: rawCsr({ key, subject, spki: encoded }),
          certificate: issueFor(rawCsr({ key, subject }), ca),
          key,
          curve,
        },
        {
          what: `EC ${curve}: named and uncompressed in the CSR, ${encoding} in the certificate`,
          csr: rawCsr({ key, subject }),
          certificate: issueFor(rawCsr({ key, subject }), ca, { subjectPublicKeyInfo: encoded }),
          key,
          curve,
        },
      );
    }
  }

  for (const { what, csr, certificate, key } of cases) {
    it(`${what}: the SubjectPublicKeyInfo bytes differ`, () => {
      const issued = new X509Certificate(certificate).publicKey.export({
        type: "spki",
        format: "der",
      });
      const asked = csrSubjectPublicKeyInfo(csr);
      assert.ok(!issued.equals(asked));
      for (const spki of [issued, asked]) {
        assert.ok(
          createPublicKey({ key: spki, format: "der", type: "spki" }).equals(createPublicKey(key)),
        );
      }
    });

    it(`${what}: provide-certificates provides it`, async () => {
      const juju = new MemoryJuju();
      juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
      const run = await batch(juju, [certificate]);
      assert.deepEqual(
        entries(run).map((entry) => [entry.status, entry.reason]),
        [["provided", undefined]],
      );
      assert.deepEqual(
        publishedOn(juju, 0).map((entry) => entry.certificate_signing_request),
        [csr],
      );
    });

    it(`${what}: provide-certificate provides it`, async () => {
      const juju = new MemoryJuju();
      juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
      const run = await juju.action("provide-certificate", {
        "certificate-signing-request": b64(csr),
        certificate: b64(certificate),
        "ca-certificate": b64(ca.pem),
      });
      assert.equal(run.failed, undefined, run.failed);
      assert.deepEqual(
        publishedOn(juju, 0).map((entry) => [entry.certificate_signing_request, entry.certificate]),
        [[csr, certificate.trim()]],
      );
    });
  }

  it("a signing policy's keys rule judges each re-encoded EC key by its curve", async () => {
    const policy = 'applications: {alpha: {dns: ["reencoded.example"], keys: {ec: 384}}}';
    for (const { what, csr, certificate, curve } of cases) {
      if (curve === undefined) continue;
      const refusal = `the signing policy refuses this certificate for alpha/0 (1 violation): key EC ${curve} is not allowed for alpha (keys: EC of at least 384 bits)`;
      const single = new MemoryJuju();
      single.config = { "signing-policy": policy };
      single.addRelation("alpha", { "alpha/0": requestBag(csr) });
      const run = await single.action("provide-certificate", {
        "certificate-signing-request": b64(csr),
        certificate: b64(certificate),
        "ca-certificate": b64(ca.pem),
      });
      if (curve === "P-384") assert.equal(run.failed, undefined, `${what}: ${run.failed}`);
      else assert.equal(run.failed, refusal, what);

      const juju = new MemoryJuju();
      juju.config = { "signing-policy": policy };
      juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
      const [entry] = entries(await batch(juju, [certificate]));
      if (curve === "P-384") assert.equal(entry?.status, "provided", `${what}: ${entry?.reason}`);
      else assert.equal(entry?.reason, refusal, what);
    }
  });
});
