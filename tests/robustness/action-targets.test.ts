// What an action acts on: the relation relation-id names (0 included), only the leader, and
// the requirer's own CSR text. Each was a defect no test caught (issue 14). In-process, so the
// mutation check (npm run mutants) can afford to run it for every mutant.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serializeProvidedCertificates } from "../../src/interface/provided-certificates.ts";
import { everyAction } from "../actions-yaml.ts";
import { MemoryJuju, OPERATOR, wroteRelation } from "./memory-juju.ts";
import { buildPool, type PoolEntry } from "./pool.ts";

const REQUESTS = "certificate_signing_requests";
const pool = buildPool(4);
const ca = pool.ca.pem.trim();
const [onZero, onOne, issuedOnOne, spare] = pool.good as [
  PoolEntry,
  PoolEntry,
  PoolEntry,
  PoolEntry,
];
const b64 = (text: string) => Buffer.from(text).toString("base64");
const requestBag = (...csrs: string[]) => ({
  [REQUESTS]: JSON.stringify(csrs.map((csr) => ({ certificate_signing_request: csr, ca: false }))),
});
const provideParams = ({ csr, certificate }: PoolEntry) => ({
  "certificate-signing-request": b64(csr),
  certificate: b64(certificate),
  "ca-certificate": b64(ca),
});

/** Relation 0 (alpha) asks for one CSR; relation 1 (beta) for two, one of them answered. */
function twoRelations(): MemoryJuju {
  const juju = new MemoryJuju();
  juju.addRelation("alpha", { "alpha/0": requestBag(onZero.csr) });
  juju.addRelation("beta", { "beta/0": requestBag(onOne.csr, issuedOnOne.csr) });
  juju.relation(1).ourAppData["certificates"] = serializeProvidedCertificates([
    { ...issuedOnOne, ca, chain: [issuedOnOne.certificate, ca], revoked: false },
  ]);
  return juju;
}

describe("relation-id 0 names relation 0, not every relation", () => {
  it("every action that takes relation-id stays on relation 0 when relation 1 stands too", async () => {
    const juju = twoRelations();
    const before = juju.published();
    const outstanding = await juju.action("get-outstanding-certificate-requests", {
      "relation-id": 0,
    });
    assert.deepEqual(
      (JSON.parse(outstanding.results["result"] ?? "null") as { relation_id: number }[]).map(
        (item) => item.relation_id,
      ),
      [0],
    );
    const issued = await juju.action("get-issued-certificates", { "relation-id": 0 });
    assert.equal(issued.failed, undefined, issued.failed);
    assert.deepEqual(JSON.parse(issued.results["result"] ?? "null"), []);

    const provided = await juju.action("provide-certificate", {
      ...provideParams(onOne),
      "relation-id": 0,
    });
    assert.match(provided.failed ?? "", /^certificate-signing-request: no requirer asks/);
    const rejected = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(onOne.csr),
      reason: "not ours",
      "relation-id": 0,
    });
    assert.match(rejected.failed ?? "", /^certificate-signing-request: no requirer asks/);
    const revoked = await juju.action("revoke-certificate", {
      "certificate-signing-request": b64(issuedOnOne.csr),
      "relation-id": 0,
    });
    assert.match(revoked.failed ?? "", /no certificate was provided for this CSR on relation 0/);
    assert.deepEqual(juju.published(), before, "an action on relation 0 wrote elsewhere");
  });
});

describe("a non-leader refuses every action", () => {
  const nonLeader = `${OPERATOR}/1`;
  // Every action of actions.yaml, each with parameters it would accept on the leader.
  const actions = everyAction<Record<string, unknown>>({
    "get-outstanding-certificate-requests": {},
    "get-certificate-request": { "relation-id": 1 },
    "provide-certificate": provideParams(onOne),
    "provide-certificates": { certificates: b64(onOne.certificate), "ca-certificate": b64(ca) },
    "get-issued-certificates": {},
    "revoke-certificate": { "certificate-signing-request": b64(issuedOnOne.csr) },
    "reject-certificate-request": {
      "certificate-signing-request": b64(onOne.csr),
      reason: "not ours",
    },
  });

  for (const [name, params] of actions) {
    it(`${name} on a non-leader says to run it on the leader, logs no error, writes nothing`, async () => {
      const juju = twoRelations();
      const before = juju.published();
      const run = await juju.action(name, params, nonLeader);
      assert.equal(
        run.failed,
        `${nonLeader} is not the leader; run this action on the leader: ` +
          `juju run ${OPERATOR}/leader ${name} ...`,
      );
      assert.deepEqual(
        run.logs.filter((line) => line.level === "ERROR"),
        [],
      );
      assert.equal(wroteRelation(run.calls), false);
      assert.deepEqual(juju.published(), before);
    });
  }
});

describe("provide-certificate publishes the requirer's CSR text, not the operator's copy", () => {
  // v1-v3 requirers and v4 <= 24 find their certificate by comparing CSR strings; only v4 >= 25
  // re-encodes before comparing (see the interface spec's matching table).
  const crlf = (pem: string) => pem.replace(/\n/g, "\r\n");
  const rewrapped = (pem: string) => {
    const lines = pem.split("\n");
    const body =
      lines
        .slice(1, -1)
        .join("")
        .match(/.{1,76}/g) ?? [];
    return [lines[0], ...body, lines[lines.length - 1]].join("\n");
  };
  const variants: [string, (pem: string) => string][] = [
    ["CRLF line endings", crlf],
    ["76-column lines", rewrapped],
  ];

  for (const [what, variant] of variants) {
    it(`with ${what} in the databag, publishes that text byte for byte`, async () => {
      const asked = variant(spare.csr);
      assert.notEqual(asked, spare.csr);
      const juju = new MemoryJuju();
      juju.addRelation("alpha", {
        "alpha/0": {
          [REQUESTS]: JSON.stringify([{ certificate_signing_request: `\n ${asked} \r\n` }]),
        },
      });
      const run = await juju.action("provide-certificate", provideParams(spare));
      assert.equal(run.failed, undefined, run.failed);
      const published = JSON.parse(juju.relation(0).ourAppData["certificates"] ?? "[]") as {
        certificate_signing_request: string;
      }[];
      assert.deepEqual(
        published.map((entry) => entry.certificate_signing_request),
        [asked],
      );
    });
  }
});
