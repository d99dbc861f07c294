import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { describe, test } from "node:test";
import {
  CertificateError,
  certificateFromDer,
  certificateLabel,
  parseCertificate,
} from "../../src/x509/certificate.ts";
import { describeKey, samePublicKey, spkiDer, unsupportedKeyReason } from "../../src/x509/keys.ts";
import { CERTIFICATE, readOnePem, toPem } from "../../src/x509/pem.ts";
import {
  KEY_DESCRIPTIONS,
  SUPPORTED_KEY_TYPES,
  makeCa,
  makeKey,
  makeLeaf,
  makeSelfSigned,
  publicKeyOf,
  sharedKey,
  signCsr,
  makeCsr,
  type KeyType,
} from "./fixtures.ts";

function fails(run: () => unknown, pattern: RegExp): CertificateError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CertificateError, `expected CertificateError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

const root = makeCa({ commonName: "Root CA" });

describe("parseCertificate", () => {
  for (const keyType of SUPPORTED_KEY_TYPES) {
    test(`reads a ${KEY_DESCRIPTIONS[keyType]} leaf: names, SANs, dates, serial, key, not a CA`, () => {
      const key = sharedKey(keyType);
      const before = Date.now();
      const leaf = makeLeaf(root, {
        key,
        commonName: "svc.example",
        organization: "Org",
        sans: ["DNS:svc.example", "IP:192.0.2.7"],
        days: 10,
      });
      const parsed = parseCertificate(leaf.pem);
      assert.equal(parsed.pem, leaf.pem.trim());
      assert.equal(parsed.subject, "CN=svc.example,O=Org");
      assert.equal(parsed.issuer, "CN=Root CA");
      assert.equal(parsed.commonName, "svc.example");
      assert.deepEqual(parsed.sans, ["DNS:svc.example", "IP:192.0.2.7"]);
      assert.equal(parsed.isCa, false);
      assert.equal(parsed.keyDescription, KEY_DESCRIPTIONS[keyType]);
      assert.ok(samePublicKey(parsed.publicKey, createPublicKey(publicKeyOf(key))));
      assert.match(parsed.serialNumber, /^[0-9A-F]+$/);
      assert.ok(Math.abs(parsed.notBefore.getTime() - before) < 120_000);
      assert.ok(Math.abs(parsed.notAfter.getTime() - before - 10 * 86_400_000) < 120_000);
      assert.equal(parsed.mayIssueCertificates, true);
    });
  }

  test("reads CA:TRUE from basicConstraints, with keyCertSign", () => {
    const parsed = parseCertificate(root.pem);
    assert.equal(parsed.isCa, true);
    assert.equal(parsed.mayIssueCertificates, true);
    assert.equal(parsed.subject, parsed.issuer);
  });

  test("treats a missing basicConstraints and CA:FALSE as not a CA", () => {
    const csr = makeCsr();
    assert.equal(parseCertificate(signCsr(csr, root, { omitBasicConstraints: true })).isCa, false);
    assert.equal(parseCertificate(signCsr(csr, root, { isCa: false })).isCa, false);
  });

  test("reads explicit dates", () => {
    const notBefore = new Date("2021-03-04T05:06:07Z");
    const notAfter = new Date("2022-03-04T05:06:07Z");
    const parsed = parseCertificate(signCsr(makeCsr(), root, { notBefore, notAfter }));
    assert.deepEqual([parsed.notBefore, parsed.notAfter], [notBefore, notAfter]);
  });

  test("accepts CRLF and returns canonical PEM", () => {
    assert.equal(parseCertificate(root.pem.replace(/\n/g, "\r\n")).pem, root.pem.trim());
  });

  test("refuses a CSR, two certificates, garbage and a private key, naming the input", () => {
    fails(
      () => parseCertificate(makeCsr().pem, "certificate"),
      /^certificate: expected one PEM CERTIFICATE, found a CERTIFICATE REQUEST/,
    );
    fails(
      () => parseCertificate(`${root.pem}${root.pem}`, "ca-certificate"),
      /^ca-certificate: expected one PEM CERTIFICATE, found 2$/,
    );
    fails(() => parseCertificate(`${root.pem}--`), /after the last block/);
    const error = fails(() => parseCertificate(`${root.pem}${root.key}`), /holds a private key/);
    assert.ok(!error.message.includes(root.key.split("\n")[1]!.slice(0, 12)));
  });

  test("refuses DER that is not a certificate, or has bytes after it", () => {
    fails(
      () => parseCertificate(toPem(CERTIFICATE, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]))),
      /not a well-formed X.509 certificate/,
    );
    const der = readOnePem(root.pem, CERTIFICATE).der;
    fails(
      () => certificateFromDer(Buffer.concat([der, Buffer.from([0x05, 0x00])]), "ca-certificate"),
      /^ca-certificate: is not well-formed DER: 2 extra bytes/,
    );
  });

  test("labels a certificate by common name, subject, or serial", () => {
    assert.equal(certificateLabel(parseCertificate(root.pem)), "CN=Root CA");
    const anonymous = parseCertificate(
      signCsr(makeCsr({ commonName: undefined, organization: "O" }), root),
    );
    assert.equal(certificateLabel(anonymous), "O=O");
    const empty = parseCertificate(signCsr(makeCsr({ commonName: undefined }), root));
    assert.equal(certificateLabel(empty), `serial ${empty.serialNumber}`);
  });
});

describe("keys", () => {
  const all: KeyType[] = ["rsa-1024", ...SUPPORTED_KEY_TYPES, "ec-p521", "ed448", "dsa-2048"];
  for (const keyType of all) {
    test(`describes a ${KEY_DESCRIPTIONS[keyType]} key`, () => {
      assert.equal(
        describeKey(createPublicKey(publicKeyOf(sharedKey(keyType)))),
        KEY_DESCRIPTIONS[keyType],
      );
    });
  }

  test("supports RSA 2048 to 4096, EC P-256 and P-384, Ed25519 only", () => {
    for (const keyType of SUPPORTED_KEY_TYPES) {
      assert.equal(
        unsupportedKeyReason(createPublicKey(publicKeyOf(sharedKey(keyType)))),
        undefined,
      );
    }
    assert.match(
      unsupportedKeyReason(createPublicKey(publicKeyOf(sharedKey("rsa-1024"))))!,
      /too small/,
    );
    assert.match(
      unsupportedKeyReason(createPublicKey(publicKeyOf(sharedKey("ec-p521"))))!,
      /not a supported curve/,
    );
    assert.match(unsupportedKeyReason(createPrivateKey(sharedKey("ec-p256")))!, /not a public key/);
  });

  test("compares public keys by their SubjectPublicKeyInfo", () => {
    const key = sharedKey("ec-p256");
    const fromPrivate = createPublicKey(createPrivateKey(key));
    const fromPem = createPublicKey(publicKeyOf(key));
    assert.ok(samePublicKey(fromPrivate, fromPem));
    assert.ok(spkiDer(fromPem).equals(spkiDer(fromPrivate)));
    assert.ok(!samePublicKey(fromPem, createPublicKey(publicKeyOf(makeKey("ec-p256")))));
    const self = makeSelfSigned({ key });
    assert.ok(samePublicKey(parseCertificate(self.pem).publicKey, fromPem));
  });
});
