import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { describe, test } from "node:test";
import { CsrError, parseCsr } from "../../src/x509/csr.ts";
import { CERTIFICATE_REQUEST, readOnePem, toPem } from "../../src/x509/pem.ts";
import {
  KEY_DESCRIPTIONS,
  SUPPORTED_KEY_TYPES,
  makeCa,
  makeCsr,
  publicKeyOf,
  sharedKey,
  type KeyType,
} from "./fixtures.ts";

function fails(run: () => unknown, pattern: RegExp): CsrError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CsrError, `expected CsrError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

/** The CSR with one byte of its DER changed at `offset` from the end. */
function tamper(pem: string, offsetFromEnd: number): string {
  const der = Buffer.from(readOnePem(pem, CERTIFICATE_REQUEST).der);
  der[der.length - offsetFromEnd] = der[der.length - offsetFromEnd]! ^ 0x01;
  return toPem(CERTIFICATE_REQUEST, der);
}

describe("parseCsr", () => {
  for (const keyType of SUPPORTED_KEY_TYPES) {
    test(`reads a ${KEY_DESCRIPTIONS[keyType]} CSR: key, subject, SANs, valid self-signature`, () => {
      const key = sharedKey(keyType);
      const csr = makeCsr({
        key,
        commonName: "app.example",
        organization: "Example, Inc",
        sans: ["DNS:app.example", "DNS:*.app.example", "IP:10.1.2.3", "IP:2001:db8::1"],
      });
      const parsed = parseCsr(csr.pem);
      assert.equal(parsed.keyDescription, KEY_DESCRIPTIONS[keyType]);
      assert.equal(parsed.subject, "CN=app.example,O=Example\\, Inc");
      assert.equal(parsed.commonName, "app.example");
      assert.deepEqual(parsed.sans, [
        "DNS:app.example",
        "DNS:*.app.example",
        "IP:10.1.2.3",
        "IP:2001:db8::1",
      ]);
      assert.equal(parsed.signatureValid, true);
      assert.equal(parsed.pem, csr.pem.trim());
      assert.ok(parsed.publicKey.equals(createPublicKey(publicKeyOf(key))));
    });
  }

  test("reads a CSR without common name or SANs, and one with email, URI and x500UniqueIdentifier", () => {
    const bare = parseCsr(makeCsr({ commonName: undefined }).pem);
    assert.equal(bare.subject, "");
    assert.equal(bare.commonName, undefined);
    assert.deepEqual(bare.sans, []);
    const rich = parseCsr(
      makeCsr({
        commonName: "x",
        uniqueId: "4f1c",
        sans: ["email:ops@example.com", "URI:spiffe://example/x", "RID:1.2.3.4"],
      }).pem,
    );
    assert.equal(rich.subject, "x500UniqueIdentifier=4f1c,CN=x");
    assert.deepEqual(rich.sans, ["email:ops@example.com", "URI:spiffe://example/x", "RID:1.2.3.4"]);
  });

  test("verifies self-signatures made with RSASSA-PSS and with SHA-384/512 digests", () => {
    const key = sharedKey("rsa-2048");
    const pss = makeCsr({ key, sigopts: ["rsa_padding_mode:pss", "rsa_pss_saltlen:32"] });
    assert.equal(parseCsr(pss.pem).signatureValid, true);
    const pssTampered = parseCsr(tamper(pss.pem, 1), { requireValidSignature: false });
    assert.equal(pssTampered.signatureValid, false);
    assert.equal(parseCsr(makeCsr({ key, digest: "sha512" }).pem).signatureValid, true);
    assert.equal(
      parseCsr(makeCsr({ keyType: "ec-p384", digest: "sha384" }).pem).signatureValid,
      true,
    );
  });

  test("accepts CRLF line endings and a trailing newline, returning canonical PEM", () => {
    const csr = makeCsr();
    assert.equal(parseCsr(csr.pem.replace(/\n/g, "\r\n")).pem, csr.pem.trim());
  });

  const refused: [KeyType, RegExp][] = [
    ["rsa-1024", /public key RSA 1024 is too small \(at least 2048 bits\)/],
    ["ec-p521", /public key EC P-521 is not a supported curve \(P-256 or P-384\)/],
    ["ed448", /public key Ed448 is not a supported key type/],
    ["dsa-2048", /public key DSA 2048 is not a supported key type/],
  ];
  for (const [keyType, pattern] of refused) {
    test(`refuses a ${KEY_DESCRIPTIONS[keyType]} CSR with the reason`, () => {
      fails(() => parseCsr(makeCsr({ keyType }).pem), pattern);
    });
  }

  test("refuses a CSR whose self-signature does not verify", () => {
    const csr = makeCsr({ keyType: "ec-p256" });
    // The last bytes are the signature's; the DER stays well-formed.
    fails(() => parseCsr(tamper(csr.pem, 3)), /self-signature does not verify/);
  });

  test("reports a bad self-signature instead of throwing when asked", () => {
    const rsa = makeCsr({ key: sharedKey("rsa-2048") });
    const parsed = parseCsr(tamper(rsa.pem, 1), { requireValidSignature: false });
    assert.equal(parsed.signatureValid, false);
  });

  test("refuses DER that is not a certification request", () => {
    fails(
      () => parseCsr(toPem(CERTIFICATE_REQUEST, Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]))),
      /not a well-formed PKCS#10/,
    );
    const der = readOnePem(makeCsr().pem, CERTIFICATE_REQUEST).der;
    fails(
      () => parseCsr(toPem(CERTIFICATE_REQUEST, Buffer.concat([der, Buffer.from([0])]))),
      /extra bytes/,
    );
  });

  test("refuses a certificate, several CSRs and a private key, naming the input", () => {
    fails(
      () => parseCsr(makeCa().pem, { input: "certificate-signing-request" }),
      /^certificate-signing-request: expected one PEM CERTIFICATE REQUEST, found a CERTIFICATE/,
    );
    const csr = makeCsr();
    fails(() => parseCsr(`${csr.pem}${csr.pem}`), /found 2/);
    const error = fails(() => parseCsr(`${csr.pem}${csr.key}`), /holds a private key/);
    assert.ok(!error.message.includes(csr.key.split("\n")[1]!.slice(0, 12)));
  });
});
