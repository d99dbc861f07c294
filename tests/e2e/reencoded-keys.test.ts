// A CA may write an EC key another way than the CSR did: its point compressed, or its curve as
// explicit parameters. On every curve the charm accepts (P-256 and P-384: src/x509/keys.ts
// refuses P-521), such a certificate still answers its request, found by key in a batch and
// checked against the named CSR alone (issue 26).
import assert from "node:assert/strict";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { before, describe, it } from "node:test";
import type { ActionRun, Simulator } from "../simulator/index.ts";
import { makeCa, type CaFixture } from "../x509/fixtures.ts";
import { OID, ecSpkiCompressed, ecSpkiExplicit, rawCsr } from "../x509/raw-csr.ts";
import { issueFor } from "./batch-fixtures.ts";
import { LEADER, OPERATOR, deployModel, provide, putCsrs, silentRequirer } from "./harness.ts";

interface Case {
  readonly what: string;
  /** Asked for on the relation: the key as node writes it, or re-encoded. */
  readonly csr: string;
  readonly certificate: string;
}

const CURVES = ["P-256", "P-384"] as const;
const ENCODINGS = [
  ["point compressed", ecSpkiCompressed],
  ["explicit curve parameters", ecSpkiExplicit],
] as const;

/** One request per curve, encoding and side, each with a fresh key and name. */
function reencodedCases(ca: CaFixture, action: string): Case[] {
  const cases: Case[] = [];
  for (const curve of CURVES) {
    for (const [encoding, encode] of ENCODINGS) {
      const fresh = (
        side: string,
      ): { key: KeyObject; subject: { oid: string; value: string }[] } => ({
        key: generateKeyPairSync("ec", { namedCurve: curve }).privateKey,
        subject: [
          {
            oid: OID.commonName,
            value: `${action}.${curve}.${encoding.split(" ")[0]}.${side}.example`.toLowerCase(),
          },
        ],
      });
      const byCa = fresh("ca");
      cases.push({
        what: `EC ${curve}, ${encoding} by the CA`,
        csr: rawCsr(byCa),
        certificate: issueFor(rawCsr(byCa), ca, { subjectPublicKeyInfo: encode(byCa.key) }),
      });
      const byRequirer = fresh("csr");
      cases.push({
        what: `EC ${curve}, ${encoding} in the CSR`,
        csr: rawCsr({ ...byRequirer, spki: encode(byRequirer.key) }),
        certificate: issueFor(rawCsr(byRequirer), ca),
      });
    }
  }
  return cases;
}

interface Published {
  certificate_signing_request: string;
  certificate: string;
}

describe("a certificate whose EC key the CA re-encoded answers its request", () => {
  let sim: Simulator;
  let relationId: number;
  let ca: CaFixture;
  let batch: Case[];
  let single: Case[];

  const published = (): Published[] =>
    JSON.parse(sim.relationData(relationId, OPERATOR)["certificates"] ?? "[]") as Published[];
  const publishedFor = (csr: string) =>
    published()
      .filter((entry) => entry.certificate_signing_request === csr.trim())
      .map((entry) => entry.certificate.trim());

  before(async () => {
    sim = (await deployModel()).sim;
    await sim.deploy("silent", silentRequirer(), { units: 1 });
    relationId = await sim.integrate(`${OPERATOR}:certificates`, "silent:certificates");
    ca = makeCa({ commonName: "Re-encoding CA" });
    batch = reencodedCases(ca, "batch");
    single = reencodedCases(ca, "single");
    putCsrs(
      sim,
      relationId,
      "silent/0",
      [...batch, ...single].map((entry) => entry.csr),
    );
    await sim.settle();
  });

  it("provide-certificates provides each, on P-256 and P-384, compressed or explicit", async () => {
    const run: ActionRun = await sim.runAction(LEADER, "provide-certificates", {
      certificates: batch.map((entry) => entry.certificate).join("\n"),
      "ca-certificate": ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    const listed = JSON.parse(String(run.results["result"])) as {
      position: number;
      status: string;
      reason?: string;
    }[];
    assert.deepEqual(
      listed
        .sort((a, b) => a.position - b.position)
        .map((entry, i) => [batch[i]!.what, entry.status, entry.reason]),
      batch.map((entry) => [entry.what, "provided", undefined]),
    );
    for (const entry of batch) {
      assert.deepEqual(publishedFor(entry.csr), [entry.certificate.trim()], entry.what);
    }
  });

  it("provide-certificate provides each, on P-256 and P-384, compressed or explicit", async () => {
    for (const entry of single) {
      const run = await provide(sim, {
        csr: entry.csr,
        certificate: entry.certificate,
        caCertificate: ca.pem,
      });
      assert.equal(run.status, "completed", `${entry.what}: ${run.message}`);
      assert.deepEqual(publishedFor(entry.csr), [entry.certificate.trim()], entry.what);
    }
  });
});
