import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { ActionRun, Simulator } from "../simulator/index.ts";
import { makeCa, makeCsr, makeKey, signCsr, type CaFixture } from "../x509/fixtures.ts";
import {
  LEADER,
  OPERATOR,
  base64,
  deployModel,
  outstanding,
  provide,
  received,
  type RequestView,
} from "./harness.ts";

interface BatchEntry {
  position: number;
  subject: string | null;
  serial: string | null;
  status: "provided" | "refused" | "unmatched";
  reason?: string;
  relation_id?: number;
  unit_name?: string;
  application_name?: string;
}

const entries = (run: ActionRun): BatchEntry[] => {
  assert.equal(run.status, "completed", run.message);
  return JSON.parse(String(run.results["result"])) as BatchEntry[];
};

const DAY = 86_400_000;

describe("provide-certificates answers a mixed batch, certificate by certificate", () => {
  let sim: Simulator;
  let relationId: number;
  let multiRelationId: number;
  let requests: RequestView[];
  let ca: CaFixture;
  let run: ActionRun;
  let firstAnswer: string;
  let bundle: string[];
  let multiBagBefore: Record<string, string>;

  const unit = (n: number) => requests.find((r) => r.unit_name === `tls-requirer/${n}`)!;

  before(async () => {
    const model = await deployModel({
      requirers: [
        { units: 4, config: { "key-type": "ec" } },
        { name: "multi", units: 1, config: { "key-type": "ec", "num-certificates": 2 } },
      ],
    });
    sim = model.sim;
    relationId = model.relations["tls-requirer"]!;
    multiRelationId = model.relations["multi"]!;
    requests = await outstanding(sim);
    ca = makeCa({ commonName: "Batch CA" });
    // tls-requirer/0 already holds a certificate: the batch's one must replace it.
    firstAnswer = signCsr(unit(0).csr, ca);
    const first = await provide(sim, {
      csr: unit(0).csr,
      certificate: firstAnswer,
      caCertificate: ca.pem,
    });
    assert.equal(first.status, "completed", first.message);

    const multi = requests.find((r) => r.application_name === "multi")!;
    const stranger = makeCsr();
    bundle = [
      signCsr(unit(0).csr, ca), // 1: replaces the earlier answer
      signCsr(unit(1).csr, ca), // 2: valid
      signCsr(unit(2).csr, makeCa({ commonName: "Other CA" })), // 3: wrong CA
      signCsr(unit(3).csr, ca, {
        notBefore: new Date(Date.now() - 10 * DAY),
        notAfter: new Date(Date.now() - DAY),
      }), // 4: expired
      signCsr(stranger, ca), // 5: no request has its key
      signCsr(multi.csr, ca), // 6: its key stands in both of multi/0's requests
    ];
    multiBagBefore = sim.relationData(multiRelationId, OPERATOR);
    run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(bundle.join("\n")),
      "ca-certificate": base64(ca.pem),
    });
  });

  it("counts what it provided, refused and could not match", () => {
    assert.equal(run.status, "completed", run.message);
    assert.equal(run.results["provided"], "2");
    assert.equal(run.results["refused"], "3");
    assert.equal(run.results["unmatched"], "1");
    assert.equal(run.results["listed"], undefined, "six entries fit in one result");
  });

  it("says for each certificate where it went or why it was refused", () => {
    const byPosition = new Map(entries(run).map((entry) => [entry.position, entry]));
    assert.equal(byPosition.size, 6);
    assert.deepEqual(
      { ...byPosition.get(1), serial: undefined, subject: undefined },
      {
        position: 1,
        serial: undefined,
        subject: undefined,
        status: "provided",
        relation_id: relationId,
        unit_name: "tls-requirer/0",
      },
    );
    assert.equal(byPosition.get(2)?.unit_name, "tls-requirer/1");
    assert.match(
      byPosition.get(3)?.reason ?? "",
      /^certificate: the chain breaks: certificate .* is not signed by ca-certificate/,
    );
    assert.match(byPosition.get(4)?.reason ?? "", /^certificate: certificate .* has expired/);
    assert.equal(byPosition.get(5)?.status, "unmatched");
    assert.match(byPosition.get(5)?.reason ?? "", /no request has this certificate's public key/);
    assert.match(
      byPosition.get(6)?.reason ?? "",
      /^ambiguous: its public key stands in 2 requests \(multi\/0 on relation \d+, multi\/0 on relation \d+\)/,
    );
    for (const entry of byPosition.values()) {
      assert.match(entry.serial ?? "", /^[0-9A-F]+$/);
      assert.match(entry.subject ?? "", /CN=/);
    }
    // Refusals come first, so that past the result bound they are what the operator sees.
    assert.deepEqual(
      entries(run).map((entry) => entry.status),
      ["refused", "refused", "unmatched", "refused", "provided", "provided"],
    );
  });

  it("publishes the ones that passed with one write per relation, and nothing for the others", () => {
    const writes = run.toolCalls.filter((call) => call[0] === "relation-set");
    assert.equal(writes.length, 1, JSON.stringify(writes.map((call) => call.slice(0, 4))));
    assert.ok(writes[0]?.includes(String(relationId)));
    const published = JSON.parse(
      sim.relationData(relationId, OPERATOR)["certificates"] ?? "[]",
    ) as {
      certificate: string;
      certificate_signing_request: string;
    }[];
    const byCsr = new Map(
      published.map((entry) => [entry.certificate_signing_request, entry.certificate]),
    );
    assert.equal(published.length, 2);
    assert.equal(
      byCsr.get(unit(0).csr.trim()),
      bundle[0]!.trim(),
      "the new answer replaced the old",
    );
    assert.equal(byCsr.get(unit(1).csr.trim()), bundle[1]!.trim());
    assert.deepEqual(sim.relationData(multiRelationId, OPERATOR), multiBagBefore);
  });

  it("hands the certificates to the requirer units that asked", async () => {
    for (const [n, certificate] of [
      [0, bundle[0]!],
      [1, bundle[1]!],
    ] as const) {
      const got = await received(sim, `tls-requirer/${n}`);
      assert.ok(Array.isArray(got), String(got));
      assert.equal(got[0]?.certificate.trim(), certificate.trim());
    }
    const left = (await outstanding(sim)).map((r) => r.unit_name);
    assert.deepEqual(left.sort(), ["multi/0", "multi/0", "tls-requirer/2", "tls-requirer/3"]);
  });

  it("names a CA certificate in the bundle as one, and says where it belongs", async () => {
    const stray = makeCa({ commonName: "Stray CA" });
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64([ca.pem, stray.pem].join("\n")),
      "ca-certificate": base64(ca.pem),
    });
    const [given, other] = entries(run);
    assert.equal(run.results["unmatched"], "2");
    assert.equal(
      given?.reason,
      "is the CA certificate given as ca-certificate: leave it out of certificates",
    );
    assert.equal(
      other?.reason,
      "is a CA certificate (CN=Stray CA), and no request has its public key: " +
        "a CA's certificate goes in ca-certificate, an intermediate's in ca-chain",
    );
  });

  it("fails the run when ca-certificate is a certificate for a request, naming the requirer", async () => {
    const before = sim.relationData(relationId, OPERATOR);
    const leaf = signCsr(unit(2).csr, ca);
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(signCsr(unit(3).csr, ca)),
      "ca-certificate": base64(leaf),
    });
    assert.equal(run.status, "failed");
    assert.match(
      run.message ?? "",
      /^ca-certificate: is the certificate signed for a request of tls-requirer\/2 \(CN=[^)]+\), not the CA's; put it in certificates and give the certificate of the CA that signed them as ca-certificate$/,
    );
    assert.deepEqual(sim.relationData(relationId, OPERATOR), before);
  });

  it("refuses a second certificate for the same request within one bundle", async () => {
    const again = await sim.runAction(LEADER, "provide-certificates", {
      certificates: [signCsr(unit(2).csr, ca), signCsr(unit(2).csr, ca)].join("\n"),
      "ca-certificate": ca.pem,
    });
    const [refusal] = entries(again).filter((entry) => entry.status === "refused");
    assert.equal(again.results["provided"], "1");
    assert.match(
      refusal?.reason ?? "",
      /^certificate 1 of this bundle already answers the same request/,
    );
  });
});

describe("provide-certificates refuses the whole run for a private key in any input", () => {
  let sim: Simulator;
  let relationId: number;
  let ca: CaFixture;
  let good: string;

  before(async () => {
    const model = await deployModel({ requirers: [{ units: 1, config: { "key-type": "ec" } }] });
    sim = model.sim;
    relationId = model.relations["tls-requirer"]!;
    const [request] = await outstanding(sim);
    ca = makeCa();
    good = signCsr(request!.csr, ca);
  });

  for (const [where, encode] of [
    ["as PEM", (text: string) => text],
    ["as base64", base64],
  ] as const) {
    for (const input of ["certificates", "ca-chain"] as const) {
      it(`refuses a key in ${input} given ${where} without echoing it, and writes nothing`, async () => {
        const key = makeKey("ec-p256");
        const before = sim.relationData(relationId, OPERATOR);
        const params: Record<string, string> = {
          certificates: encode(`${good}\n${input === "certificates" ? key : ""}`),
          "ca-certificate": encode(ca.pem),
        };
        if (input === "ca-chain") params["ca-chain"] = encode(`${ca.pem}\n${key}`);
        const run = await sim.runAction(LEADER, "provide-certificates", params);
        assert.equal(run.status, "failed");
        assert.match(run.message ?? "", new RegExp(`^${input}: holds a private key`));
        assert.deepEqual(sim.relationData(relationId, OPERATOR), before);
        // Neither the key's PEM body nor any base64 of it may appear anywhere.
        const body = key.split("\n").slice(1, -2).join("");
        const seen = [
          run.message ?? "",
          JSON.stringify(run.results),
          run.stdout,
          run.stderr,
          ...sim.logs(`${OPERATOR}/0`).map((line) => line.message),
          ...run.logs,
        ].join("\n");
        for (const secret of [
          body.slice(0, 24),
          base64(key).slice(0, 24),
          base64(key).slice(40, 64),
        ]) {
          assert.ok(!seen.includes(secret), `the key leaked: ${secret}`);
        }
      });
    }
  }
});

describe("provide-certificates with relation-id, and with a block that is no certificate", () => {
  let sim: Simulator;
  let first: number;
  let second: number;
  let ca: CaFixture;
  const key = makeKey("ec-p256");
  const one = makeCsr({ key, commonName: "one.example" });
  const other = makeCsr({ key, commonName: "other.example" });

  before(async () => {
    sim = (await deployModel()).sim;
    const charm = mkdtempSync(join(tmpdir(), "silent-requirer-"));
    writeFileSync(
      join(charm, "metadata.yaml"),
      "name: silent\nrequires:\n  certificates:\n    interface: tls-certificates\n",
    );
    await sim.deploy("alpha", charm, { units: 1 });
    await sim.deploy("beta", charm, { units: 1 });
    first = await sim.integrate(`${OPERATOR}:certificates`, "alpha:certificates");
    second = await sim.integrate(`${OPERATOR}:certificates`, "beta:certificates");
    // The same key asks on two relations, under two CSRs.
    for (const [id, unit, csr] of [
      [first, "alpha/0", one],
      [second, "beta/0", other],
    ] as const) {
      sim.setRelationData(
        id,
        unit,
        {
          certificate_signing_requests: JSON.stringify([
            { certificate_signing_request: csr.pem.trim(), ca: false },
          ]),
        },
        { notify: true },
      );
    }
    await sim.settle();
    ca = makeCa();
  });

  it("refuses a key that stands on two relations, and relation-id settles it", async () => {
    const certificate = signCsr(one, ca);
    const ambiguous = await sim.runAction(LEADER, "provide-certificates", {
      certificates: certificate,
      "ca-certificate": ca.pem,
    });
    assert.match(
      entries(ambiguous)[0]?.reason ?? "",
      /^ambiguous: .*; pass relation-id to choose one$/,
    );
    assert.equal(sim.relationData(first, OPERATOR)["certificates"] ?? "[]", "[]");

    const settled = await sim.runAction(LEADER, "provide-certificates", {
      certificates: certificate,
      "ca-certificate": ca.pem,
      "relation-id": first,
    });
    assert.deepEqual(
      entries(settled).map(({ status, relation_id, unit_name }) => ({
        status,
        relation_id,
        unit_name,
      })),
      [{ status: "provided", relation_id: first, unit_name: "alpha/0" }],
    );
    assert.equal(sim.relationData(second, OPERATOR)["certificates"] ?? "[]", "[]");
  });

  it("refuses a block that is no certificate on its own, and provides the rest", async () => {
    const notACertificate = `-----BEGIN CERTIFICATE-----\n${Buffer.from("not DER at all").toString("base64")}\n-----END CERTIFICATE-----`;
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: [notACertificate, signCsr(other, ca)].join("\n"),
      "ca-certificate": ca.pem,
      "relation-id": second,
    });
    const [bad, good] = entries(run).sort((a, b) => a.position - b.position);
    assert.equal(bad?.status, "refused");
    assert.match(bad?.reason ?? "", /^certificate 1: is not well-formed DER/);
    assert.deepEqual([bad?.subject, bad?.serial], [null, null]);
    assert.equal(good?.unit_name, "beta/0");
  });
});
