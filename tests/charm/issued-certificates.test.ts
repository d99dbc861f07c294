// get-issued-certificates' filters and formats, in-process through the real router and a Juju
// in memory: which certificates `issuer` and `expiring-within` keep, what `format=pem` and
// `format=text` show, and the message each bad value gets.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { serializeProvidedCertificates } from "../../src/interface/provided-certificates.ts";
import { MemoryJuju, type ActionResult } from "../robustness/memory-juju.ts";
import { makeCa, makeCsr, makeKey, signCsr } from "../x509/fixtures.ts";

const REQUESTS = "certificate_signing_requests";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const der = (pem: string) =>
  Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
const sha256 = (pem: string) => createHash("sha256").update(der(pem)).digest("hex");
const colons = (hex: string) => (hex.toUpperCase().match(/../g) ?? []).join(":");

const root = makeCa({ commonName: "Example Root" });
const issuing = makeCa({ commonName: "Example Issuing CA", issuer: root });
const other = makeCa({ commonName: "Other CA" });
const csr = (name: string) => makeCsr({ commonName: name }).pem.trim();
const requests = {
  underIssuing: csr("a.example"),
  soon: csr("b.example"),
  revoked: csr("c.example"),
  gone: csr("d.example"),
};
const certificates = {
  underIssuing: signCsr(requests.underIssuing, issuing, { days: 365 }).trim(),
  soon: signCsr(requests.soon, other, { days: 10 }).trim(),
  revoked: signCsr(requests.revoked, other, { days: 365 }).trim(),
  gone: signCsr(requests.gone, other, { days: 365 }).trim(),
};

/** One relation whose unit asks for three CSRs, each answered; one answer revoked. */
function model(): MemoryJuju {
  const juju = new MemoryJuju();
  const asked = [requests.underIssuing, requests.soon, requests.revoked];
  juju.addRelation("web", {
    "web/0": {
      [REQUESTS]: JSON.stringify(asked.map((c) => ({ certificate_signing_request: c, ca: false }))),
    },
  });
  const ca = (pem: string) => pem.trim();
  juju.relation(0).ourAppData["certificates"] = serializeProvidedCertificates([
    {
      csr: requests.underIssuing,
      certificate: certificates.underIssuing,
      ca: ca(root.pem),
      chain: [certificates.underIssuing, ca(issuing.pem), ca(root.pem)],
      revoked: false,
    },
    ...(["soon", "revoked", "gone"] as const).map((name) => ({
      csr: requests[name],
      certificate: certificates[name],
      ca: ca(other.pem),
      chain: [certificates[name], ca(other.pem)],
      revoked: name === "revoked",
    })),
  ]);
  return juju;
}

interface Issued {
  csr: string;
  subject: string;
  issuer: string;
  ca_fingerprint: string;
  revoked: boolean;
  unit_name: string | null;
}

const listing = (run: ActionResult): Issued[] => {
  assert.equal(run.failed, undefined, run.failed);
  return JSON.parse(run.results["result"] ?? "[]") as Issued[];
};

async function subjects(params: Record<string, unknown>): Promise<string[]> {
  return listing(await model().action("get-issued-certificates", params)).map((c) => c.subject);
}

describe("get-issued-certificates narrows what was issued (in-process)", () => {
  it("gives each certificate its issuer and the fingerprint of the CA at the top of its chain", async () => {
    const [first, second] = listing(await model().action("get-issued-certificates", {}));
    assert.equal(first?.csr, requests.underIssuing);
    assert.equal(first?.issuer, "CN=Example Issuing CA");
    assert.equal(first?.ca_fingerprint, colons(sha256(root.pem)));
    assert.equal(second?.issuer, "CN=Other CA");
    assert.equal(second?.ca_fingerprint, colons(sha256(other.pem)));
  });

  it("issuer= a fingerprint keeps what that CA stands above anywhere in the chain", async () => {
    assert.deepEqual(await subjects({ issuer: colons(sha256(root.pem)) }), ["CN=a.example"]);
    assert.deepEqual(await subjects({ issuer: sha256(issuing.pem) }), ["CN=a.example"]);
    assert.deepEqual(
      await subjects({ issuer: `sha256 Fingerprint=${colons(sha256(other.pem))}` }),
      ["CN=b.example", "CN=c.example", "CN=d.example"],
    );
    const unknown = makeCa({ commonName: "Example Root" });
    assert.deepEqual(await subjects({ issuer: sha256(unknown.pem) }), []);
  });

  it("issuer= the CA's certificate, base64 or PEM, matches by its fingerprint, not its name", async () => {
    assert.deepEqual(await subjects({ issuer: b64(root.pem) }), ["CN=a.example"]);
    assert.deepEqual(await subjects({ issuer: issuing.pem }), ["CN=a.example"]);
    const sameName = makeCa({ commonName: "Example Root" });
    assert.deepEqual(await subjects({ issuer: b64(sameName.pem) }), []);
  });

  it("issuer= a subject matches whatever the order, the attribute names' case and the spaces", async () => {
    for (const written of [
      "CN=Example Issuing CA",
      "cn = Example Issuing CA",
      "commonName=Example Issuing CA",
      "/CN=Example Issuing CA",
      "subject=CN = Example Issuing CA",
      "CN=Example Root",
    ]) {
      assert.deepEqual(await subjects({ issuer: written }), ["CN=a.example"], written);
    }
    assert.deepEqual(await subjects({ issuer: "CN=example issuing ca" }), []);
    assert.deepEqual(await subjects({ issuer: "CN=Example Issuing CA,O=Example" }), []);
  });

  it("expiring-within keeps what ends within that long, and combines with issuer", async () => {
    assert.deepEqual(await subjects({ "expiring-within": "30d" }), ["CN=b.example"]);
    assert.deepEqual(await subjects({ "expiring-within": "216h" }), []);
    assert.deepEqual(await subjects({ "expiring-within": "400d" }).then((s) => s.length), 4);
    assert.deepEqual(await subjects({ "expiring-within": "400d", issuer: "CN=Example Root" }), [
      "CN=a.example",
    ]);
  });

  it("format=pem gives the CSRs of the certificates in force: not revoked, still asked for", async () => {
    const run = await model().action("get-issued-certificates", {
      issuer: "CN=Other CA",
      format: "pem",
    });
    assert.equal(run.failed, undefined, run.failed);
    assert.equal(run.results["result"], `${requests.soon}\n`);
  });

  it("format=text is a table with state, expiry, issuer and a count", async () => {
    const run = await model().action("get-issued-certificates", { format: "text" });
    const lines = (run.results["result"] ?? "").split("\n");
    assert.match(
      lines[0]!,
      /^RELATION\s+UNIT\/APP\s+STATE\s+EXPIRES\s+DAYS\s+SERIAL\s+ISSUER\s+SUBJECT\s+SANS$/,
    );
    const row = (subject: string) => lines.find((line) => line.includes(subject)) ?? "";
    assert.match(
      row("CN=a.example"),
      /^0\s+web\/0\s+valid\s+\d{4}-\d\d-\d\d\s+36[34]\s+\S+\s+CN=Example Issuing CA\s+CN=a\.example/,
    );
    assert.match(row("CN=b.example"), /^0\s+web\/0\s+valid\s+\S+\s+9\s/);
    assert.match(row("CN=c.example"), /^0\s+web\/0\s+revoked\s/);
    assert.match(row("CN=d.example"), /^0\s+web \(not asked\)\s+valid\s/);
    assert.equal(lines.at(-1), "4 certificates");
  });

  it("refuses each bad value with a message naming the parameter and the problem", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ issuer: "" }, /^issuer: is empty; give the CA's certificate/],
      [{ issuer: "AB:CD" }, /^issuer: a SHA-256 fingerprint has 64 hex digits, this one 4;/],
      [{ issuer: "ab".repeat(20) }, /this one 40 \(this looks like SHA-1\)/],
      [{ issuer: "Example Root" }, /^issuer: is neither a fingerprint nor a subject; give/],
      [{ issuer: "CN=Example Root,=x" }, /^issuer: "=x" is not attribute=value; give/],
      [{ issuer: "C N=Example" }, /^issuer: "C N" is not an attribute type such as CN or O/],
      [
        { issuer: b64("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----") },
        /^issuer: /,
      ],
      [
        { issuer: "bm90IGEgY2VydGlmaWNhdGU=" },
        /^issuer: "bm90IGEgY2VydGlmaWNhdGU=" has no value; give/,
      ],
      [{ "expiring-within": "30 days" }, /^expiring-within: must be a whole number of days/],
      [{ "expiring-within": "0d" }, /^expiring-within: must be a whole number/],
      [{ format: "yaml" }, /^invalid parameters: format: must be one of json, pem, text$/],
      [{ issuer: 5 }, /^invalid parameters: issuer: must be text: a CA certificate/],
      [
        { "expiring-within": 30 },
        /^invalid parameters: expiring-within: must be text such as 30d$/,
      ],
    ];
    for (const [params, message] of cases) {
      const run = await model().action("get-issued-certificates", params);
      assert.match(run.failed ?? "(completed)", message, JSON.stringify(params));
    }
  });

  it("never echoes a private key passed as issuer", async () => {
    const key = makeKey();
    const run = await model().action("get-issued-certificates", { issuer: b64(key) });
    assert.match(run.failed ?? "", /^issuer: holds a private key; refusing it/);
    assert.ok(!(run.failed ?? "").includes(key.split("\n")[1]!));
  });
});
