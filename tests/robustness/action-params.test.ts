// provide-certificate against every kind of bad operator input, in-process: each refusal has
// its own message naming the input, nothing is written (our `certificates` value stays byte
// for byte), and a private key never comes back in a message, a result or a log line.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import {
  b64,
  buildActionFixtures,
  secretFragments,
  type ActionFixtures,
} from "./action-fixtures.ts";
import { toPem } from "../../src/x509/pem.ts";
import { MemoryJuju, wroteRelation, type ActionResult } from "./memory-juju.ts";
import { counter, report } from "./tally.ts";

const REQUESTS = "certificate_signing_requests";
const fx: ActionFixtures = buildActionFixtures();
const tallies = counter();

type Params = Record<string, unknown>;

/** The certificate with its EC P-256 point moved off the curve: well-formed DER, unusable key. */
function corruptPublicKey(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  const point = der.indexOf(Buffer.from([0x03, 0x42, 0x00, 0x04]));
  assert.notEqual(point, -1, "not an EC P-256 certificate");
  der[point + 4 + 63] = der[point + 4 + 63]! ^ 0x01;
  return toPem("CERTIFICATE", der);
}

const goodParams = (): Params => ({
  "certificate-signing-request": b64(fx.leafCsr),
  certificate: b64(fx.good.leaf),
  "ca-certificate": b64(fx.ca.pem),
});

/** alpha/0 asks for a leaf, alpha/1 for a CA; alpha/1 already has its certificate. */
async function model(): Promise<{ juju: MemoryJuju; baseline: string }> {
  const juju = new MemoryJuju();
  juju.addRelation("alpha", {
    "alpha/0": {
      [REQUESTS]: JSON.stringify([{ certificate_signing_request: fx.leafCsr, ca: false }]),
    },
    "alpha/1": {
      [REQUESTS]: JSON.stringify([{ certificate_signing_request: fx.caCsr, ca: true }]),
    },
  });
  const seeded = await juju.action("provide-certificate", {
    "certificate-signing-request": b64(fx.caCsr),
    certificate: b64(fx.good.caLeaf),
    "ca-certificate": b64(fx.ca.pem),
  });
  assert.equal(seeded.failed, undefined, seeded.failed);
  const baseline = juju.relation(0).ourAppData["certificates"];
  assert.ok(baseline?.includes("BEGIN CERTIFICATE"));
  return { juju, baseline: baseline! };
}

/** A refusal: failed with a message matching `expected`, no results, nothing written. */
function assertRefused(
  juju: MemoryJuju,
  baseline: string,
  run: ActionResult,
  expected: RegExp,
  what: string,
): void {
  assert.notEqual(run.failed, undefined, `${what}: the action did not fail`);
  assert.match(run.failed!, expected, `${what}: ${run.failed}`);
  assert.deepEqual(run.results, {}, `${what}: results were set`);
  assert.equal(wroteRelation(run.calls), false, `${what}: relation-set was called`);
  assert.ok(
    juju.relation(0).ourAppData["certificates"] === baseline,
    `${what}: certificates changed`,
  );
  assert.doesNotMatch(run.failed!, /[A-Za-z0-9+/]{40,}/, `${what}: the message echoes input`);
  tallies.add("inputs refused");
}

function assertNoLeak(juju: MemoryJuju, run: ActionResult, key: string, what: string): void {
  const places = [
    run.failed ?? "",
    JSON.stringify(run.results),
    ...juju.allLogs.map((line) => line.message),
    ...run.calls.filter((call) => call[0] !== "action-get").map((call) => call.join(" ")),
  ];
  for (const fragment of secretFragments(key)) {
    for (const place of places) {
      assert.equal(place.includes(fragment), false, `${what}: the private key leaked`);
    }
  }
}

describe("provide-certificate refuses bad operator input (in-process)", () => {
  let juju: MemoryJuju;
  let baseline: string;

  before(async () => {
    ({ juju, baseline } = await model());
  });

  const twoCerts = `${fx.good.leaf.trim()}\n${fx.ca.pem.trim()}\n`;
  const oversizePem = fx.good.leaf.repeat(Math.ceil((65 * 1024) / fx.good.leaf.length));
  const cases: [string, Params, RegExp][] = [
    ["empty certificate", { certificate: "" }, /^certificate: is empty$/],
    [
      "whitespace CSR",
      { "certificate-signing-request": " \n\t " },
      /^certificate-signing-request: is empty$/,
    ],
    ["bad base64", { certificate: "!!!not*base64" }, /^certificate: not valid base64 or PEM/],
    [
      "base64 with a bad length",
      { certificate: b64(fx.good.leaf).slice(0, -1) },
      /^certificate: not valid base64 or PEM/,
    ],
    [
      "base64 of binary (DER)",
      { certificate: Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x00]).toString("base64") },
      /^certificate: decodes from base64 to binary data/,
    ],
    [
      "base64 of text without PEM",
      { "ca-certificate": b64("hello, CA") },
      /^ca-certificate: decodes from base64 to text that holds no PEM block/,
    ],
    [
      "a certificate where the CSR belongs",
      { "certificate-signing-request": b64(fx.good.leaf) },
      /^certificate-signing-request: expected one PEM CERTIFICATE REQUEST, found a CERTIFICATE instead/,
    ],
    [
      "a CSR where the certificate belongs",
      { certificate: b64(fx.leafCsr) },
      /^certificate: expected one PEM CERTIFICATE, found a CERTIFICATE REQUEST instead/,
    ],
    [
      "a CSR in the chain",
      { "ca-chain": b64(`${fx.good.leaf}${fx.leafCsr}\n${fx.ca.pem}`) },
      /^ca-chain: expected PEM CERTIFICATE blocks only, found CERTIFICATE REQUEST/,
    ],
    [
      "two certificates as the certificate",
      { certificate: b64(twoCerts) },
      /^certificate: expected one PEM CERTIFICATE, found 2$/,
    ],
    [
      "two CAs as the ca-certificate",
      { "ca-certificate": b64(`${fx.ca.pem}${fx.otherCa.pem}`) },
      /^ca-certificate: expected one PEM CERTIFICATE, found 2$/,
    ],
    [
      "two CSRs",
      { "certificate-signing-request": b64(`${fx.leafCsr}\n${fx.caCsr}\n`) },
      /^certificate-signing-request: expected one PEM CERTIFICATE REQUEST, found 2$/,
    ],
    [
      "trailing garbage after the certificate",
      { certificate: b64(`${fx.good.leaf}trailing words\n`) },
      /^certificate: has text that is not PEM after the last block \(line \d+\)$/,
    ],
    [
      "leading garbage before the CA",
      { "ca-certificate": b64(`Subject: CN=x\n${fx.ca.pem}`) },
      /^ca-certificate: has text that is not PEM before the first block/,
    ],
    [
      "raw PEM with trailing garbage",
      { certificate: `${fx.good.leaf}garbage` },
      /^certificate: has text that is not PEM after the last block/,
    ],
    [
      "a truncated PEM (no END)",
      { certificate: b64(fx.good.leaf.split("-----END")[0]!) },
      /^certificate: block 1 \(BEGIN CERTIFICATE, line 1\) has no END line$/,
    ],
    [
      "a corrupted PEM body",
      { certificate: b64(fx.good.leaf.replace(/\n[A-Za-z0-9+/]/, "\n*")) },
      /^certificate: block 1 \(CERTIFICATE, line 1\) is not valid base64$/,
    ],
    [
      "oversize base64 (over 64 KiB decoded)",
      { certificate: b64(oversizePem) },
      /^certificate: is larger than the 64 KiB limit once base64-decoded \(\d+ bytes\)$/,
    ],
    [
      "oversize raw PEM",
      { "ca-chain": oversizePem },
      /^ca-chain: is larger than the 64 KiB limit$/,
    ],
    [
      "oversize base64, far beyond the bound",
      { "certificate-signing-request": "QUFB".repeat(200_000) },
      /^certificate-signing-request: is larger than the 64 KiB limit$/,
    ],
    [
      "an expired certificate",
      { certificate: b64(fx.bad.expired) },
      /^certificate: certificate \(.*\) has expired \(valid from .* to .*; now .*\)$/,
    ],
    [
      "a not-yet-valid certificate",
      { certificate: b64(fx.bad.notYetValid) },
      /^certificate: certificate \(.*\) is not valid yet \(valid from .*; now .*\)$/,
    ],
    [
      "a self-signed leaf",
      { certificate: b64(fx.bad.selfSigned) },
      /^certificate: is self-signed; it must be signed by the CA given as ca-certificate$/,
    ],
    [
      "a certificate for another key",
      { certificate: b64(fx.bad.otherKey) },
      /^certificate: public key \(EC P-256\) does not match the CSR's \(EC P-256, a different key\); it was issued for another request$/,
    ],
    [
      "a CA that did not sign it",
      { certificate: b64(fx.bad.otherIssuer) },
      /^certificate: the chain breaks: certificate \(.*\) is not signed by ca-certificate \(.*Robustness Root.*\)/,
    ],
    [
      "a CA flag on a leaf request",
      { certificate: b64(fx.bad.caFlagOnLeaf) },
      /^certificate: is a CA certificate but the request asked for a leaf certificate$/,
    ],
    [
      "a leaf for a CA request",
      { "certificate-signing-request": b64(fx.caCsr), certificate: b64(fx.bad.leafForCaRequest) },
      /^certificate: is not a CA certificate \(no basicConstraints CA:TRUE\) but the request asked for a CA certificate$/,
    ],
    [
      "an issuer that is no CA",
      { certificate: b64(fx.bad.underNotACa), "ca-certificate": b64(fx.notACa.pem) },
      /^ca-certificate: ca-certificate \(.*\) is not a CA certificate \(no basicConstraints CA:TRUE\), so it cannot issue certificates$/,
    ],
    [
      "a chain that does not link (unrelated root in the middle)",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(`${fx.good.leafUnderIntermediate}${fx.otherCa.pem}${fx.ca.pem}`),
      },
      /^ca-chain: the chain breaks: certificate \(.*\) is not signed by ca-chain certificate 2 \(.*Unrelated Root.*\)/,
    ],
    [
      "a chain without its intermediate",
      { certificate: b64(fx.good.leafUnderIntermediate) },
      /^certificate: the chain breaks: certificate \(.*\) is not signed by ca-certificate/,
    ],
    [
      "a chain root first",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(`${fx.ca.pem}${fx.intermediate.pem}${fx.good.leafUnderIntermediate}`),
      },
      /^ca-chain: must be leaf first: the certificate is at position 3 of 3/,
    ],
    [
      "a chain with the CA in the middle",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(`${fx.good.leafUnderIntermediate}${fx.ca.pem}${fx.intermediate.pem}`),
      },
      /^ca-chain: must end at the CA certificate: it is at position 2 of 3/,
    ],
    [
      "a chain reversed without leaf or root",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(`${fx.intermediate.pem}${fx.good.leafUnderIntermediate}`),
      },
      /^ca-chain: must be leaf first: the certificate is at position 2 of 2/,
    ],
    [
      "a chain holding one certificate twice",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(
          `${fx.good.leafUnderIntermediate}${fx.intermediate.pem}${fx.intermediate.pem}${fx.ca.pem}`,
        ),
      },
      /^ca-chain: holds the same certificate twice \(positions 2 and 3\)$/,
    ],
    [
      "a CSR nobody asks for",
      { "certificate-signing-request": b64(fx.strangerCsr), certificate: b64(fx.bad.otherKey) },
      /^certificate-signing-request: no requirer asks for this CSR in relation 0; it may have been renewed or withdrawn/,
    ],
    [
      "a unit that did not ask",
      { "unit-name": "alpha/1" },
      /^certificate-signing-request: unit alpha\/1 does not ask for this CSR in relation 0$/,
    ],
    [
      "a unit that does not exist",
      { "unit-name": "alpha/9" },
      /^unit-name: alpha\/9 is not a unit of a requirer in relation 0$/,
    ],
    [
      "a unit name that is no unit name",
      { "unit-name": "alpha" },
      /^invalid parameters: unit-name: must be a unit name such as vault\/0$/,
    ],
    [
      "an unknown relation id",
      { "relation-id": 7 },
      /^relation-id 7 is not a certificates relation of tls-certificates-operator; its certificates relations are: 0$/,
    ],
    ["a negative relation id", { "relation-id": -1 }, /^invalid parameters: relation-id: /],
    ["a missing certificate", { certificate: undefined }, /^invalid parameters: certificate: /],
  ];

  for (const [what, overrides, expected] of cases) {
    it(`refuses ${what}`, async () => {
      juju.relation(0).ourAppData["certificates"] = baseline;
      const params = { ...goodParams(), ...overrides };
      for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
      const run = await juju.action("provide-certificate", params);
      assertRefused(juju, baseline, run, expected, what);
    });
  }

  it("refuses on a non-leader unit and writes nothing", async () => {
    const run = await juju.action(
      "provide-certificate",
      goodParams(),
      "tls-certificates-operator/1",
    );
    assertRefused(
      juju,
      baseline,
      run,
      /is not the leader; run this action on the leader/,
      "non-leader",
    );
  });

  it("accepts the good input it was compared with", async () => {
    const fresh = await model();
    const run = await fresh.juju.action("provide-certificate", goodParams());
    assert.equal(run.failed, undefined, run.failed);
    assert.equal(run.results["unit-name"], "alpha/0");
  });

  it("refuses a private key in any input, in any position and encoding, and never echoes it", async () => {
    const params = ["certificate-signing-request", "certificate", "ca-certificate", "ca-chain"];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fx.keys),
        fc.constantFrom(...params),
        fc.constantFrom("alone", "before", "after", "between"),
        fc.boolean(),
        fc.constantFrom("", "\n", "\r\n", "  "),
        async (key, param, where, encode, pad) => {
          const value =
            (goodParams()[param] as string | undefined) ?? b64(`${fx.good.leaf}${fx.ca.pem}`);
          const content = Buffer.from(value, "base64").toString("utf8");
          const blocks = content.split(/(?<=-----END [A-Z ]+-----)\n?/).filter((b) => b.trim());
          const text =
            where === "alone"
              ? key
              : where === "before"
                ? `${key}${pad}${content}`
                : where === "after"
                  ? `${content}${pad}${key}`
                  : [blocks[0], key, ...blocks.slice(1)].join(`\n${pad}`);
          const run = await juju.action("provide-certificate", {
            ...goodParams(),
            [param]: encode ? b64(text) : text,
          });
          assertRefused(
            juju,
            baseline,
            run,
            new RegExp(`^${param}: holds a private key; refusing it`),
            "key",
          );
          assertNoLeak(juju, run, key, `${param}/${where}/${encode ? "base64" : "raw"}`);
          tallies.add("private keys refused");
        },
      ),
      { numRuns: 120, seed: 7, includeErrorInReport: true },
    );
  });

  it("refuses a certificate whose public key does not decode, naming the input", async () => {
    juju.relation(0).ourAppData["certificates"] = baseline;
    for (const param of ["certificate", "ca-certificate"] as const) {
      const source = param === "certificate" ? fx.good.leaf : fx.ca.pem;
      const run = await juju.action("provide-certificate", {
        ...goodParams(),
        [param]: b64(corruptPublicKey(source)),
      });
      assertRefused(
        juju,
        baseline,
        run,
        new RegExp(`^${param}: .*public key`),
        `${param} with a corrupt key`,
      );
    }
  });

  it("refuses mangled inputs with a message naming the input, or accepts them only when still right", async (t) => {
    const names = [
      "certificate-signing-request",
      "certificate",
      "ca-certificate",
      "ca-chain",
    ] as const;
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant("insert" as const),
        at: fc.nat(),
        text: fc.string({ unit: "binary", minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant("replace" as const),
        at: fc.nat(),
        text: fc.string({ minLength: 1, maxLength: 1 }),
      }),
      fc.record({
        kind: fc.constant("append" as const),
        text: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
      }),
      fc.record({ kind: fc.constant("decode" as const) }),
      fc.record({ kind: fc.constant("swap" as const), with: fc.constantFrom(...names) }),
    );
    const chainValue = b64(`${fx.good.leaf}${fx.ca.pem}`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        mutation,
        fc.boolean(),
        async (name, m, inPem) => {
          const params: Params = { ...goodParams(), "ca-chain": chainValue };
          const original = params[name] as string;
          // Mangle the base64 itself, or the PEM text it carries (then sent as raw PEM).
          const source = inPem ? Buffer.from(original, "base64").toString("utf8") : original;
          const at = "at" in m ? m.at % (source.length + 1) : 0;
          let mangled: string;
          switch (m.kind) {
            case "truncate":
              mangled = source.slice(0, at);
              break;
            case "insert":
              mangled = `${source.slice(0, at)}${m.text}${source.slice(at)}`;
              break;
            case "replace":
              mangled = `${source.slice(0, at)}${m.text}${source.slice(at + 1)}`;
              break;
            case "append":
              mangled = `${source}${m.text}`;
              break;
            case "decode":
              mangled = Buffer.from(original, "base64").toString("utf8");
              break;
            case "swap":
              mangled = params[m.with] as string;
              break;
          }
          params[name] = mangled;
          juju.relation(0).ourAppData["certificates"] = baseline;
          const run = await juju.action("provide-certificate", params);
          tallies.add("mangled inputs");
          if (run.failed === undefined) {
            // Still a valid answer (whitespace, a decoded PEM, an equivalent chain): it must be
            // the right certificate for alpha/0, published next to the one already there.
            tallies.add("mangled inputs still valid");
            const published = JSON.parse(juju.relation(0).ourAppData["certificates"]!) as {
              certificate_signing_request: string;
              certificate: string;
            }[];
            assert.equal(published.length, 2);
            assert.equal(published[1]!.certificate_signing_request, fx.leafCsr);
            assert.equal(published[1]!.certificate, fx.good.leaf.trim());
            return;
          }
          assertRefused(
            juju,
            baseline,
            run,
            /^(certificate-signing-request|certificate|ca-certificate|ca-chain|invalid parameters): \S/,
            `${name} ${m.kind}`,
          );
        },
      ),
      { numRuns: 400, seed: 11, includeErrorInReport: true },
    );
    juju.relation(0).ourAppData["certificates"] = baseline;
    report(t, "provide-certificate inputs", tallies);
  });
});
