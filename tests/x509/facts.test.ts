import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { certificateFactsOf } from "../../src/x509/certificate-facts.ts";
import { describeCsr } from "../../src/x509/csr.ts";
import { readCsrFacts } from "../../src/x509/csr-facts.ts";
import { altNameText, type CsrFacts } from "../../src/x509/facts.ts";
import { keyFacts } from "../../src/x509/key-facts.ts";
import { readOnePem } from "../../src/x509/pem.ts";
import {
  OID,
  attribute,
  basicConstraints,
  buildCertificate,
  buildCsr,
  cn,
  general,
  name,
  subjectAltName,
} from "./der-builder.ts";
import { makeCa, makeCsr, signCsr } from "./fixtures.ts";
import {
  ecSpkiCompressed,
  ecSpkiExplicit,
  ecSpkiExplicitOtherGenerator,
  standardSpki,
} from "./raw-csr.ts";

function facts(pem: string): CsrFacts {
  const reading = readCsrFacts(pem);
  if (!reading.ok) assert.fail(`unreadable: ${reading.reason}`);
  return reading.facts;
}

function unreadable(pem: string): string {
  const reading = readCsrFacts(pem);
  assert.equal(reading.ok, false, "expected the CSR to be unreadable");
  return reading.ok ? "" : reading.reason;
}

describe("CSR facts read with the DER reader", () => {
  it("agree with the ASN.1 library on what openssl writes: CN, every SAN type, key", () => {
    const csr = makeCsr({
      keyType: "rsa-2048",
      commonName: "db.example.com",
      sans: [
        "DNS:db.example.com",
        "DNS:*.db.example.com",
        "IP:10.0.0.7",
        "IP:2001:db8::1",
        "email:ops@example.com",
        "URI:spiffe://example/db",
      ],
    });
    const read = facts(csr.pem);
    assert.deepEqual(read.commonNames, ["db.example.com"]);
    assert.equal(read.subjectAltNameExtensions, 1);
    assert.deepEqual(read.altNames.map(altNameText), describeCsr(csr.pem).sans);
    assert.deepEqual(read.key, { kind: "rsa", size: 2048, description: "RSA 2048" });
    assert.equal(read.requestsCa, false);
  });

  it("read the key type and size of every key the charm accepts", () => {
    for (const [type, expected] of [
      ["rsa-3072", { kind: "rsa", size: 3072, description: "RSA 3072" }],
      ["ec-p256", { kind: "ec", size: 256, description: "EC P-256" }],
      ["ec-p384", { kind: "ec", size: 384, description: "EC P-384" }],
      ["ed25519", { kind: "ed25519", size: undefined, description: "Ed25519" }],
    ] as const) {
      assert.deepEqual(facts(makeCsr({ keyType: type }).pem).key, expected, type);
    }
  });

  it("a CSR with no CN and no extension has no names", () => {
    const read = facts(makeCsr({ commonName: undefined }).pem);
    assert.deepEqual([read.commonNames, read.altNames, read.subjectAltNameExtensions], [[], [], 0]);
  });

  it("list every CN of a subject, in every string type", () => {
    const subject = name(
      attribute(OID.organization, "Acme"),
      cn("a.example"),
      cn("b.example", 0x13),
      cn("c.example", 0x16),
      attribute(OID.commonName, Buffer.from([0x1e, 4, 0, 0x64, 0, 0x2e])),
    );
    assert.deepEqual(facts(buildCsr({ subject })).commonNames, [
      "a.example",
      "b.example",
      "c.example",
      "d.",
    ]);
  });

  it("count two subjectAltName extensions and keep the names of both", () => {
    const read = facts(
      buildCsr({
        extensionRequests: [
          [subjectAltName(general.dns("a.example")), subjectAltName(general.dns("b.example"))],
        ],
      }),
    );
    assert.equal(read.subjectAltNameExtensions, 2);
    assert.deepEqual(read.altNames.map(altNameText), ["DNS:a.example", "DNS:b.example"]);
  });

  it("type otherName, directoryName and registeredID entries as other", () => {
    const read = facts(
      buildCsr({
        extensionRequests: [
          [
            subjectAltName(
              general.otherName(),
              general.directoryName(),
              general.registeredId(),
              general.ip([1, 2, 3]),
            ),
          ],
        ],
      }),
    );
    assert.deepEqual(read.altNames, [
      { kind: "other", value: "otherName" },
      { kind: "other", value: "directoryName" },
      { kind: "other", value: "registeredID" },
      { kind: "other", value: "iPAddress of 3 bytes" },
    ]);
  });

  it("write IPv6 addresses as RFC 5952 text, IPv4-mapped ones as ::ffff:a.b.c.d", () => {
    const v6 = (...bytes: number[]) =>
      general.ip([...new Array<number>(16 - bytes.length).fill(0), ...bytes]);
    const read = facts(
      buildCsr({
        extensionRequests: [
          [
            subjectAltName(
              v6(0xff, 0xff, 10, 0, 0, 1),
              v6(1),
              general.ip([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]),
            ),
          ],
        ],
      }),
    );
    assert.deepEqual(read.altNames.map(altNameText), [
      "IP:::ffff:10.0.0.1",
      "IP:::1",
      "IP:2001:db8::1:0:0:1",
    ]);
  });

  it("see a basicConstraints CA:TRUE request", () => {
    assert.equal(
      facts(buildCsr({ extensionRequests: [[basicConstraints(true)]] })).requestsCa,
      true,
    );
    assert.equal(
      facts(buildCsr({ extensionRequests: [[basicConstraints(false)]] })).requestsCa,
      false,
    );
  });

  it("fail closed on what cannot be read for sure", () => {
    assert.match(
      unreadable(
        buildCsr({
          extensionRequests: [
            [subjectAltName(general.dns("a.example"))],
            [subjectAltName(general.dns("b.example"))],
          ],
        }),
      ),
      /more than one extensionRequest/,
    );
    assert.match(unreadable(buildCsr({ subject: name(cn("t.example", 0x14)) })), /cannot be read/);
    assert.match(
      unreadable(
        buildCsr({ extensionRequests: [[subjectAltName(general.dns("bücher.example"))]] }),
      ),
      /not ASCII/,
    );
    assert.match(
      unreadable(
        buildCsr({ subject: name(attribute(OID.commonName, Buffer.from([0x0c, 1, 0xff]))) }),
      ),
      /not UTF-8/,
    );
    assert.match(
      unreadable(
        buildCsr({ extensionRequests: [[basicConstraints(true), basicConstraints(false)]] }),
      ),
      /two basicConstraints/,
    );
    assert.match(unreadable("not a CSR"), /.+/);
    const der = readOnePem(makeCsr().pem, "CERTIFICATE REQUEST").der;
    const cut = `-----BEGIN CERTIFICATE REQUEST-----\n${der.subarray(0, der.length - 9).toString("base64")}\n-----END CERTIFICATE REQUEST-----`;
    assert.match(unreadable(cut), /.+/);
  });

  it("read an RSA key's size from its modulus", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 3072 });
    assert.deepEqual(facts(buildCsr({ key: privateKey })).key.size, 3072);
  });
});

describe("key facts of an EC key however it is encoded", () => {
  for (const [curve, size] of [
    ["P-256", 256],
    ["P-384", 384],
    ["P-521", 521],
  ] as const) {
    const key = generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
    const expected = { kind: "ec", size, description: `EC ${curve}` };

    it(`read ${curve} named, with its point compressed, or with explicit parameters`, () => {
      for (const [how, spki] of [
        ["named", standardSpki(key)],
        ["compressed", ecSpkiCompressed(key)],
        ["explicit parameters", ecSpkiExplicit(key)],
      ] as const) {
        assert.deepEqual(keyFacts(spki), expected, how);
      }
    });

    it(`do not read ${curve}'s equation with another generator as ${curve}`, () => {
      assert.deepEqual(keyFacts(ecSpkiExplicitOtherGenerator(key)), {
        kind: "other",
        size: undefined,
        description: "EC explicit curve",
      });
    });
  }
});

describe("certificate facts read with the same reader", () => {
  it("agree with what openssl signed: names, CA flag, key, validity", () => {
    const ca = makeCa();
    const csr = makeCsr({
      commonName: "db.example.com",
      sans: ["DNS:db.example.com", "IP:10.0.0.7"],
    });
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const notAfter = new Date(notBefore.getTime() + 30 * 86_400_000);
    const pem = signCsr(csr, ca, { notBefore, notAfter });
    const read = certificateFactsOf(readOnePem(pem, "CERTIFICATE").der);
    assert.deepEqual(read.commonNames, ["db.example.com"]);
    assert.deepEqual(read.altNames.map(altNameText), ["DNS:db.example.com", "IP:10.0.0.7"]);
    assert.equal(read.isCa, false);
    assert.equal(read.key.description, "EC P-256");
    assert.deepEqual([read.notBefore, read.notAfter], [notBefore, notAfter]);
    assert.equal(certificateFactsOf(readOnePem(ca.pem, "CERTIFICATE").der).isCa, true);
  });

  it("count two subjectAltName extensions and two CNs in a certificate", () => {
    const read = certificateFactsOf(
      buildCertificate({
        subject: name(cn("a.example"), cn("b.example")),
        extensions: [
          subjectAltName(general.dns("a.example")),
          subjectAltName(general.dns("c.example")),
        ],
      }),
    );
    assert.deepEqual(read.commonNames, ["a.example", "b.example"]);
    assert.equal(read.subjectAltNameExtensions, 2);
    assert.deepEqual(read.altNames.map(altNameText), ["DNS:a.example", "DNS:c.example"]);
  });

  it("a certificate without extensions has no SAN and is no CA", () => {
    const read = certificateFactsOf(buildCertificate());
    assert.deepEqual([read.altNames, read.isCa], [[], false]);
  });
});
