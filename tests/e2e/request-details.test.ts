import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { csrFactory } from "../../bench/csrs.ts";
import type { ActionRun, Simulator } from "../simulator/index.ts";
import { makeCa, makeCsr, signCsr, type CaFixture } from "../x509/fixtures.ts";
import { LEADER, OPERATOR, base64, deployModel, putCsrs } from "./harness.ts";

interface Detailed {
  relation_id: number;
  unit_name: string | null;
  csr: string;
  is_ca: boolean;
  subject: string | null;
  sans: string[];
  key: string | null;
  renews: { serial: string; not_after: string } | null;
  has_certificate?: boolean;
}

const detailed = (run: ActionRun): Detailed[] => {
  assert.equal(run.status, "completed", run.message);
  return JSON.parse(String(run.results["result"])) as Detailed[];
};

/** A requirer with no hooks: its databag holds exactly the CSRs a test puts there. */
function silentRequirer(): string {
  const dir = mkdtempSync(join(tmpdir(), "silent-requirer-"));
  writeFileSync(
    join(dir, "metadata.yaml"),
    "name: silent\nrequires:\n  certificates:\n    interface: tls-certificates\n",
  );
  return dir;
}

describe("the listings say what each CSR asks for", () => {
  let sim: Simulator;
  let relationId: number;
  let ca: CaFixture;
  const csrs = {
    rsa: makeCsr({ keyType: "rsa-2048", commonName: "rsa.example", organization: "Acme, Inc." }),
    ecWithSans: makeCsr({
      keyType: "ec-p256",
      commonName: "ec.example",
      sans: [
        "DNS:ec.example",
        "DNS:*.ec.example",
        "IP:10.0.0.7",
        "email:ops@example.com",
        "URI:spiffe://example/ec",
      ],
    }),
    ed25519: makeCsr({ keyType: "ed25519", commonName: "ed.example" }),
    ecP384: makeCsr({ keyType: "ec-p384", commonName: "p384.example", sans: ["DNS:p384.example"] }),
  };

  before(async () => {
    sim = (await deployModel()).sim;
    await sim.deploy("silent", silentRequirer(), { units: 1 });
    relationId = await sim.integrate(`${OPERATOR}:certificates`, "silent:certificates");
    putCsrs(
      sim,
      relationId,
      "silent/0",
      Object.values(csrs).map((csr) => csr.pem),
    );
    await sim.settle();
    ca = makeCa();
  });

  it("gives subject, typed SANs and key for RSA, EC and Ed25519 CSRs, with and without SANs", async () => {
    const listed = detailed(await sim.runAction(LEADER, "get-outstanding-certificate-requests"));
    const byCsr = new Map(listed.map((entry) => [entry.csr, entry]));
    const pick = (name: keyof typeof csrs) => {
      const { subject, sans, key, renews } = byCsr.get(csrs[name].pem.trim())!;
      return { subject, sans, key, renews };
    };
    assert.deepEqual(pick("rsa"), {
      subject: "CN=rsa.example,O=Acme\\, Inc.",
      sans: [],
      key: "RSA 2048",
      renews: null,
    });
    assert.deepEqual(pick("ecWithSans"), {
      subject: "CN=ec.example",
      sans: [
        "DNS:ec.example",
        "DNS:*.ec.example",
        "IP:10.0.0.7",
        "email:ops@example.com",
        "URI:spiffe://example/ec",
      ],
      key: "EC P-256",
      renews: null,
    });
    assert.deepEqual(pick("ed25519"), {
      subject: "CN=ed.example",
      sans: [],
      key: "Ed25519",
      renews: null,
    });
    assert.deepEqual(pick("ecP384"), {
      subject: "CN=p384.example",
      sans: ["DNS:p384.example"],
      key: "EC P-384",
      renews: null,
    });
    // The fields scripts already read are all still there.
    for (const entry of listed) {
      assert.deepEqual(Object.keys(entry).slice(0, 5), [
        "relation_id",
        "application_name",
        "unit_name",
        "csr",
        "is_ca",
      ]);
    }
  });

  it("get-certificate-request gives the same details beside has_certificate", async () => {
    const listed = detailed(
      await sim.runAction(LEADER, "get-certificate-request", { "relation-id": relationId }),
    );
    const ed = listed.find((entry) => entry.csr === csrs.ed25519.pem.trim())!;
    assert.equal(ed.has_certificate, false);
    assert.equal(ed.key, "Ed25519");
    assert.equal(ed.subject, "CN=ed.example");
  });

  it("format=text is a table, one line per request, with a count", async () => {
    const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests", {
      format: "text",
    });
    assert.equal(run.status, "completed", run.message);
    const lines = String(run.results["result"]).split("\n");
    assert.match(lines[0]!, /^RELATION\s+UNIT\/APP\s+KEY\s+CA\s+RENEWS\s+SUBJECT\s+SANS$/);
    assert.equal(lines.at(-1), "4 requests");
    const ec = lines.find((line) => line.includes("CN=ec.example"))!;
    assert.match(
      ec,
      new RegExp(
        `^${relationId}\\s+silent/0\\s+EC P-256\\s+no\\s+-\\s+CN=ec.example\\s+DNS:ec.example, DNS:\\*.ec.example, IP:10.0.0.7, email:ops@example.com, URI:spiffe://example/ec$`,
      ),
    );
    assert.match(
      lines.find((line) => line.includes("ed.example"))!,
      /Ed25519\s+no\s+-\s+CN=ed.example\s+-$/,
    );
    // Columns line up: SUBJECT starts at the same place on every line.
    const at = lines[0]!.indexOf("SUBJECT");
    for (const line of lines.slice(1, -1)) assert.equal(line.slice(at, at + 3), "CN=");

    const one = await sim.runAction(LEADER, "get-certificate-request", {
      "relation-id": relationId,
      format: "text",
    });
    const table = String(one.results["result"]).split("\n");
    assert.match(table[0]!, /^RELATION\s+UNIT\/APP\s+STATE\s+KEY/);
    assert.equal(table.at(-1), "4 requests");
    assert.match(
      table.find((line) => line.includes("rsa.example"))!,
      /silent\/0\s+outstanding\s+RSA 2048/,
    );
  });

  it("a renewal names the certificate it renews; the charmlibs UUID in the subject does not hide it", async () => {
    // charmlibs puts a fresh x500UniqueIdentifier in every CSR; the key may stay the same.
    const first = makeCsr({
      keyType: "ec-p256",
      commonName: "renew.example",
      sans: ["DNS:renew.example"],
      uniqueId: "11111111-aaaa",
    });
    putCsrs(sim, relationId, "silent/0", [first.pem]);
    await sim.settle();
    const certificate = signCsr(first, ca);
    const provided = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(certificate),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(provided.results["provided"], "1", JSON.stringify(provided.results));
    const issued = new (await import("node:crypto")).X509Certificate(certificate);

    const renewal = makeCsr({
      key: first.key,
      commonName: "renew.example",
      sans: ["DNS:renew.example"],
      uniqueId: "22222222-bbbb",
    });
    const otherName = makeCsr({
      key: first.key,
      commonName: "other.example",
      sans: ["DNS:other.example"],
    });
    putCsrs(sim, relationId, "silent/0", [renewal.pem, otherName.pem]);
    await sim.settle();
    const listed = detailed(await sim.runAction(LEADER, "get-outstanding-certificate-requests"));
    const renewing = listed.find((entry) => entry.csr === renewal.pem.trim())!;
    assert.deepEqual(renewing.renews, {
      serial: issued.serialNumber,
      not_after: new Date(issued.validTo).toISOString(),
    });
    assert.equal(listed.find((entry) => entry.csr === otherName.pem.trim())?.renews, null);

    const text = String(
      (await sim.runAction(LEADER, "get-outstanding-certificate-requests", { format: "text" }))
        .results["result"],
    );
    const line = text.split("\n").find((row) => row.includes("CN=renew.example"))!;
    assert.ok(
      line.includes(
        `${issued.serialNumber} (until ${new Date(issued.validTo).toISOString().slice(0, 10)})`,
      ),
      line,
    );
    assert.equal(text.split("\n").at(-1), "2 requests");
  });
});

describe("format=text past the action-result bound", () => {
  it("shows as many lines as fit, says how many of how many, and adds listed and total", async () => {
    const { sim, relations } = await deployModel({ requirers: [{}] });
    const relationId = relations["tls-requirer"]!;
    const factory = csrFactory();
    const csrs = Array.from({ length: 2000 }, (_, n) => factory.csr(`host-${n}.example`));
    sim.setRelationData(relationId, "tls-requirer", {
      certificate_signing_requests: JSON.stringify(
        csrs.map((csr) => ({ certificate_signing_request: csr, ca: false })),
      ),
    });
    for (const [action, params] of [
      ["get-outstanding-certificate-requests", { format: "text" }],
      ["get-certificate-request", { format: "text", "relation-id": relationId }],
    ] as const) {
      const run = await sim.runAction(LEADER, action, params);
      assert.equal(run.status, "completed", run.message);
      const text = String(run.results["result"]);
      const lines = text.split("\n");
      const listed = Number(run.results["listed"]);
      assert.equal(run.results["total"], "2001");
      assert.ok(listed > 500 && listed < 2001, `${action}: listed ${listed}`);
      assert.equal(lines.length, listed + 2, "header, one line per listed request, count");
      assert.equal(lines.at(-1), `listing ${listed} of 2001 requests`);
      assert.ok(Buffer.byteLength(text) <= 127 * 1024);
    }
  });
});
