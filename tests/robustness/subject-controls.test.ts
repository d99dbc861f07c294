// A requirer writes its CSR's subject and SANs, and may put NUL or any other control character
// there. Shown raw, a NUL makes node refuse to spawn action-set (memory-juju throws as node
// does), a newline breaks the text table, an ESC drives the operator's terminal. Every listing
// and both provide actions must complete and show such characters escaped (RFC 4514 §2.4 hex
// pairs of their UTF-8 bytes); printable non-ASCII text, an emoji included, is shown as it is.
// The RFC 4514 specials, RDN order and typed SANs are checked here too, for `npm run mutants`.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { issueFor } from "../e2e/batch-fixtures.ts";
import { makeCa } from "../x509/fixtures.ts";
import { OID, rawCsr, type RawSan, type StringType } from "../x509/raw-csr.ts";
import { MemoryJuju, type ActionResult } from "./memory-juju.ts";

const REQUESTS = "certificate_signing_requests";
const DAY = 86_400_000;
const ca = makeCa({ commonName: "Subject Controls Root" });
const b64 = (text: string) => Buffer.from(text).toString("base64");

interface Case {
  readonly what: string;
  readonly commonName: string;
  /** An O before the CN, when given: a subject of two RDNs. */
  readonly organization?: string;
  readonly type?: StringType;
  /** The subject as the listings must show it. */
  readonly shown: string;
  readonly sans?: readonly RawSan[];
  readonly shownSans?: readonly string[];
}

const CASES: readonly Case[] = [
  { what: "NUL", commonName: "nul\0byte.example", shown: "CN=nul\\00byte.example" },
  {
    what: "other C0 controls (BEL, TAB, LF, CR, ESC, US)",
    commonName: "c0\x07\t\n\r\x1b[31m\x1f.example",
    shown: "CN=c0\\07\\09\\0A\\0D\\1B[31m\\1F.example",
  },
  { what: "a leading LF and a trailing TAB", commonName: "\nedge\t", shown: "CN=\\0Aedge\\09" },
  { what: "DEL", commonName: "del\x7f.example", shown: "CN=del\\7F.example" },
  {
    what: "C1 controls (PAD, NEL, CSI)",
    commonName: "c1\u0080\u0085\u009b.example",
    shown: "CN=c1\\C2\\80\\C2\\85\\C2\\9B.example",
  },
  {
    what: "U+2028 and U+2029",
    commonName: "line\u2028para\u2029.example",
    shown: "CN=line\\E2\\80\\A8para\\E2\\80\\A9.example",
  },
  { what: "an emoji", commonName: "lock 🔒.example", shown: "CN=lock 🔒.example" },
  {
    // asn1js reads a UniversalString's code points past U+FFFF cut to 16 bits, so no emoji here.
    what: "ESC beside an accented letter in a UniversalString",
    commonName: "wide\x1bé.example",
    type: "universal",
    shown: "CN=wide\\1Bé.example",
  },
  {
    what: "ESC in a BMPString",
    commonName: "bmp\x1b.example",
    type: "bmp",
    shown: "CN=bmp\\1B.example",
  },
  {
    what: "NUL and ESC in DNS SANs",
    commonName: "sans.example",
    shown: "CN=sans.example",
    sans: [{ dns: "nul\0san.example" }, { dns: "esc\x1b[2Jsan.example" }],
    shownSans: ["DNS:nul\\00san.example", "DNS:esc\\1B[2Jsan.example"],
  },
  {
    what: "RFC 4514 specials that would make it read as another name",
    commonName: 'evil.example,O=Bank+OU="x"<y>;z\\',
    shown: 'CN=evil.example\\,O\\=Bank\\+OU\\=\\"x\\"\\<y\\>\\;z\\\\',
  },
  { what: "a leading # and a trailing space", commonName: "#hash ", shown: "CN=\\#hash\\ " },
  {
    what: "two RDNs, the most specific first",
    organization: "Org\x1b",
    commonName: "two.example",
    shown: "CN=two.example,O=Org\\1B",
  },
  {
    what: "IP, email and URI SANs",
    commonName: "typed.example",
    shown: "CN=typed.example",
    sans: [
      { ip: Buffer.from([10, 0, 0, 7]) },
      { email: "ops\x07@typed.example" },
      { uri: "spiffe://typed.example/\x1b" },
    ],
    shownSans: ["IP:10.0.0.7", "email:ops\\07@typed.example", "URI:spiffe://typed.example/\\1B"],
  },
];

/**
 * Control characters, and the line and paragraph separators, that must never be shown raw; LF
 * ends the lines of a text table, so tables are checked for their number of lines instead.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const RAW_CONTROL = /[\0-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]/;

const csrOf = ({ commonName, organization, type, sans }: Case): string =>
  rawCsr({
    key: generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey,
    subject: [
      ...(organization === undefined ? [] : [{ oid: OID.organization, value: organization }]),
      { oid: OID.commonName, value: commonName, ...(type ? { type } : {}) },
    ],
    ...(sans ? { sans } : {}),
  });
const csrs = CASES.map(csrOf);

function model(): MemoryJuju {
  const juju = new MemoryJuju();
  juju.addRelation("alpha", {
    "alpha/0": {
      [REQUESTS]: JSON.stringify(csrs.map((csr) => ({ certificate_signing_request: csr }))),
    },
  });
  return juju;
}

function completed(run: ActionResult): Readonly<Record<string, string>> {
  assert.equal(run.failed, undefined, run.failed);
  assert.equal(run.exitCode, 0);
  for (const call of run.calls) {
    if (call[0] === "action-set" || call[0] === "action-log" || call[0] === "juju-log") {
      for (const arg of call.slice(1)) assert.doesNotMatch(arg, RAW_CONTROL, call[0]);
    }
  }
  return run.results;
}

interface Detailed {
  csr: string;
  subject: string | null;
  sans: string[];
}

function assertShown(listed: readonly Detailed[]): void {
  for (const [index, item] of CASES.entries()) {
    const entry = listed.find((candidate) => candidate.csr === csrs[index]);
    assert.ok(entry, `${item.what}: listed`);
    assert.equal(entry.subject, item.shown, item.what);
    assert.deepEqual(entry.sans, item.shownSans ?? [], item.what);
  }
}

/** A text table: every line but the last is a row or the header, and shows each subject once. */
function assertTable(text: string): void {
  const lines = text.split("\n");
  assert.equal(lines.length, CASES.length + 2, "a header, one line per request, the count");
  assert.equal(lines.at(-1), `${CASES.length} requests`);
  for (const item of CASES) {
    const rows = lines.filter((line) => line.includes(`  ${item.shown}  `));
    assert.equal(rows.length, 1, `${item.what}: one row shows ${JSON.stringify(item.shown)}`);
    for (const san of item.shownSans ?? []) assert.ok(rows[0]!.includes(san), san);
  }
}

describe("control characters in a requirer's subject and SANs", () => {
  it("get-outstanding-certificate-requests completes in every format and shows them escaped", async () => {
    const juju = model();
    const json = completed(await juju.action("get-outstanding-certificate-requests", {}));
    assertShown(JSON.parse(json["result"] ?? "null") as Detailed[]);
    const text = completed(
      await juju.action("get-outstanding-certificate-requests", { format: "text" }),
    );
    assertTable(text["result"] ?? "");
    const pem = completed(
      await juju.action("get-outstanding-certificate-requests", { format: "pem" }),
    );
    assert.equal(pem["result"], csrs.map((csr) => `${csr}\n`).join(""));
  });

  it("get-certificate-request completes in every format and shows them escaped", async () => {
    const juju = model();
    const json = completed(await juju.action("get-certificate-request", { "relation-id": 0 }));
    assertShown(JSON.parse(json["result"] ?? "null") as Detailed[]);
    const text = completed(
      await juju.action("get-certificate-request", { "relation-id": 0, format: "text" }),
    );
    assertTable(text["result"] ?? "");
  });

  it("provide-certificate answers each, and says whom it answered with the subject escaped", async () => {
    const juju = model();
    for (const [index, item] of CASES.entries()) {
      const results = completed(
        await juju.action("provide-certificate", {
          "certificate-signing-request": b64(csrs[index]!),
          certificate: b64(issueFor(csrs[index]!, ca)),
          "ca-certificate": b64(ca.pem),
        }),
      );
      assert.equal(results["subject"], item.shown, item.what);
    }
    const issued = completed(await juju.action("get-issued-certificates", {}));
    assert.deepEqual(
      (JSON.parse(issued["result"] ?? "null") as { subject: string }[])
        .map((entry) => entry.subject)
        .sort(),
      CASES.map((item) => item.shown).sort(),
    );
  });

  it("provide-certificates answers them all in one batch, subjects escaped", async () => {
    const juju = model();
    const run = completed(
      await juju.action("provide-certificates", {
        certificates: b64(csrs.map((csr) => issueFor(csr, ca)).join("\n")),
        "ca-certificate": b64(ca.pem),
      }),
    );
    assert.equal(run["provided"], String(CASES.length));
    assert.deepEqual(
      (JSON.parse(run["result"] ?? "null") as { subject: string }[])
        .map((entry) => entry.subject)
        .sort(),
      CASES.map((item) => item.shown).sort(),
    );
  });

  it("a refused certificate is named with its common name escaped", async () => {
    const juju = model();
    const before = juju.published();
    const expired = issueFor(csrs[0]!, ca, {
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const run = await juju.action("provide-certificate", {
      "certificate-signing-request": b64(csrs[0]!),
      certificate: b64(expired),
      "ca-certificate": b64(ca.pem),
    });
    assert.match(
      run.failed ?? "",
      /^certificate: certificate \(CN=nul\\00byte\.example\) has expired/,
    );
    assert.deepEqual(juju.published(), before);
  });
});
