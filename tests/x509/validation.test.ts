import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseCertificate, type ParsedCertificate } from "../../src/x509/certificate.ts";
import { parseCsr } from "../../src/x509/csr.ts";
import {
  CertificateValidationError,
  validateProvidedCertificate,
  type ProvidedCertificate,
  type ValidatedInput,
} from "../../src/x509/validation.ts";
import {
  KEY_DESCRIPTIONS,
  SUPPORTED_KEY_TYPES,
  makeCa,
  makeCsr,
  makeLeaf,
  makeSelfSigned,
  sharedKey,
  signCsr,
  type CaFixture,
  type LeafFixture,
} from "./fixtures.ts";

const cert = (pem: string): ParsedCertificate => parseCertificate(pem);
const DAY = 86_400_000;

const root = makeCa({ commonName: "Root", keyType: "rsa-2048" });
const intermediate = makeCa({ commonName: "Intermediate", issuer: root, keyType: "ec-p384" });
const leaf = makeLeaf(root, { commonName: "direct.example", keyType: "ec-p256" });
const deepLeaf = makeLeaf(intermediate, { commonName: "deep.example", keyType: "ed25519" });

interface Case {
  leaf: LeafFixture | { csr: string; pem: string };
  ca: CaFixture | string;
  chain?: readonly string[];
  requestIsCa?: boolean;
  at?: Date;
}

function input(c: Case): ProvidedCertificate {
  return {
    csr: parseCsr(c.leaf.csr),
    certificate: cert(c.leaf.pem),
    caCertificate: cert(typeof c.ca === "string" ? c.ca : c.ca.pem),
    chain: c.chain?.map(cert),
    requestIsCa: c.requestIsCa ?? false,
    now: c.at ?? new Date(),
  };
}

const chainOf = (c: Case): string[] => validateProvidedCertificate(input(c)).chain;
const trimmed = (...pems: string[]): string[] => pems.map((p) => p.trim());

function refused(c: Case, at: ValidatedInput, pattern: RegExp): CertificateValidationError {
  let caught: unknown;
  try {
    validateProvidedCertificate(input(c));
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof CertificateValidationError,
    `expected CertificateValidationError, got ${String(caught)}`,
  );
  assert.equal(caught.input, at, caught.message);
  assert.ok(caught.message.startsWith(`${at}: `));
  assert.match(caught.message, pattern);
  return caught;
}

describe("validateProvidedCertificate: accepted chains", () => {
  for (const keyType of SUPPORTED_KEY_TYPES) {
    test(`accepts a ${KEY_DESCRIPTIONS[keyType]} certificate signed directly by a ${KEY_DESCRIPTIONS[keyType]} CA`, () => {
      const ca = makeCa({ key: sharedKey(keyType, "ca") });
      const issued = makeLeaf(ca, { key: sharedKey(keyType, "leaf") });
      assert.deepEqual(chainOf({ leaf: issued, ca }), trimmed(issued.pem, ca.pem));
    });
  }

  test("with no chain, the chain is the certificate then the CA", () => {
    assert.deepEqual(chainOf({ leaf, ca: root }), trimmed(leaf.pem, root.pem));
  });

  test("accepts a depth-2 chain given leaf first and ending at the CA", () => {
    const chain = [deepLeaf.pem, intermediate.pem, root.pem];
    assert.deepEqual(chainOf({ leaf: deepLeaf, ca: root, chain }), trimmed(...chain));
  });

  test("prepends the certificate to a chain that omits it", () => {
    assert.deepEqual(
      chainOf({ leaf: deepLeaf, ca: root, chain: [intermediate.pem, root.pem] }),
      trimmed(deepLeaf.pem, intermediate.pem, root.pem),
    );
    assert.deepEqual(
      chainOf({ leaf: deepLeaf, ca: root, chain: [intermediate.pem] }),
      trimmed(deepLeaf.pem, intermediate.pem, root.pem),
    );
  });

  test("appends the CA to a chain that stops one step below it", () => {
    assert.deepEqual(
      chainOf({ leaf: deepLeaf, ca: root, chain: [deepLeaf.pem, intermediate.pem] }),
      trimmed(deepLeaf.pem, intermediate.pem, root.pem),
    );
  });

  test("accepts an intermediate CA as ca-certificate", () => {
    assert.deepEqual(
      chainOf({ leaf: deepLeaf, ca: intermediate }),
      trimmed(deepLeaf.pem, intermediate.pem),
    );
  });

  test("returns canonical PEMs for CRLF input", () => {
    const crlf = (p: string): string => p.replace(/\n/g, "\r\n");
    const chain = chainOf({
      leaf: { csr: crlf(deepLeaf.csr), pem: crlf(deepLeaf.pem) },
      ca: crlf(root.pem),
      chain: [crlf(intermediate.pem)],
    });
    assert.deepEqual(chain, trimmed(deepLeaf.pem, intermediate.pem, root.pem));
  });

  test("accepts a certificate without basicConstraints for a leaf request", () => {
    const csr = makeCsr();
    const pem = signCsr(csr, root, { omitBasicConstraints: true });
    assert.equal(chainOf({ leaf: { csr: csr.pem, pem }, ca: root }).length, 2);
  });

  test("accepts a CA:TRUE certificate for a CA request", () => {
    const csr = makeCsr({ commonName: "Sub CA" });
    const pem = signCsr(csr, root, { isCa: true });
    assert.equal(chainOf({ leaf: { csr: csr.pem, pem }, ca: root, requestIsCa: true }).length, 2);
  });
});

describe("validateProvidedCertificate: refusals", () => {
  test("refuses a certificate whose key differs from the CSR's, naming both key types", () => {
    const other = makeCsr({ key: sharedKey("rsa-2048") });
    refused(
      { leaf: { csr: other.pem, pem: leaf.pem }, ca: root },
      "certificate",
      /^certificate: public key \(EC P-256\) does not match the CSR's \(RSA 2048\)/,
    );
    const sameType = makeCsr({ keyType: "ec-p256" });
    refused(
      { leaf: { csr: sameType.pem, pem: leaf.pem }, ca: root },
      "certificate",
      /\(EC P-256\) does not match the CSR's \(EC P-256, a different key\)/,
    );
  });

  test("refuses a CSR whose self-signature does not verify", () => {
    const base = input({ leaf, ca: root });
    assert.throws(
      () => validateProvidedCertificate({ ...base, csr: { ...base.csr, signatureValid: false } }),
      (error: unknown) =>
        error instanceof CertificateValidationError &&
        error.input === "certificate-signing-request" &&
        /self-signature does not verify/.test(error.message),
    );
  });

  test("refuses a self-signed certificate", () => {
    const self = makeSelfSigned();
    const csr = makeCsr({ key: self.key });
    refused({ leaf: { csr: csr.pem, pem: self.pem }, ca: root }, "certificate", /is self-signed/);
    const selfCa = makeSelfSigned({ key: self.key, isCa: true });
    refused(
      { leaf: { csr: csr.pem, pem: selfCa.pem }, ca: selfCa.pem, requestIsCa: true },
      "certificate",
      /is self-signed/,
    );
  });

  test("refuses a CA certificate for a leaf request", () => {
    const csr = makeCsr();
    const pem = signCsr(csr, root, { isCa: true });
    refused(
      { leaf: { csr: csr.pem, pem }, ca: root },
      "certificate",
      /^certificate: is a CA certificate but the request asked for a leaf certificate$/,
    );
  });

  test("refuses a leaf certificate, with or without basicConstraints, for a CA request", () => {
    refused(
      { leaf, ca: root, requestIsCa: true },
      "certificate",
      /is not a CA certificate .* asked for a CA certificate/,
    );
    const csr = makeCsr();
    const pem = signCsr(csr, root, { omitBasicConstraints: true });
    refused(
      { leaf: { csr: csr.pem, pem }, ca: root, requestIsCa: true },
      "certificate",
      /asked for a CA certificate/,
    );
  });

  test("refuses a certificate not signed by the CA, naming the pair", () => {
    const otherRoot = makeCa({ commonName: "Other Root" });
    refused(
      { leaf, ca: otherRoot },
      "certificate",
      /the chain breaks: certificate \(CN=direct.example\) is not signed by ca-certificate \(CN=Other Root\) \(it names its issuer "CN=Root"\)/,
    );
    refused(
      { leaf: deepLeaf, ca: root },
      "certificate",
      /not signed by ca-certificate \(CN=Root\)/,
    );
  });

  test("refuses a certificate whose issuer name matches the CA but whose signature does not", () => {
    const impostor = makeCa({ commonName: "Root" });
    refused(
      { leaf, ca: impostor },
      "certificate",
      /the names match but the signature does not verify/,
    );
  });

  test("refuses a signature that verifies with a CA of another name", () => {
    const twin = makeCa({ commonName: "Twin", key: root.key });
    refused(
      { leaf, ca: twin },
      "certificate",
      /names its issuer "CN=Root" but is signed by ca-certificate \(CN=Twin\)/,
    );
  });

  test("refuses a chain that does not link, naming the pair", () => {
    const stranger = makeCa({ commonName: "Stranger", issuer: root });
    refused(
      { leaf: deepLeaf, ca: root, chain: [deepLeaf.pem, stranger.pem, root.pem] },
      "ca-chain",
      /certificate \(CN=deep.example\) is not signed by ca-chain certificate 2 \(CN=Stranger\)/,
    );
    const otherRoot = makeCa({ commonName: "Other Root" });
    refused(
      { leaf: deepLeaf, ca: otherRoot, chain: [deepLeaf.pem, intermediate.pem] },
      "ca-chain",
      /ca-chain certificate 2 \(CN=Intermediate\) is not signed by ca-certificate \(CN=Other Root\)/,
    );
  });

  test("refuses a chain in the wrong order, saying it must be leaf first", () => {
    refused(
      { leaf: deepLeaf, ca: root, chain: [root.pem, intermediate.pem, deepLeaf.pem] },
      "ca-chain",
      /must be leaf first: the certificate is at position 3 of 3/,
    );
    refused(
      { leaf: deepLeaf, ca: root, chain: [root.pem, intermediate.pem] },
      "ca-chain",
      /must end at the CA certificate: it is at position 1 of 2/,
    );
    const upper = makeCa({ commonName: "Upper", issuer: root });
    const lower = makeCa({ commonName: "Lower", issuer: upper });
    const low = makeLeaf(lower);
    refused(
      { leaf: low, ca: root, chain: [upper.pem, lower.pem] },
      "ca-chain",
      /wrong order: it must be leaf first/,
    );
    assert.equal(chainOf({ leaf: low, ca: root, chain: [lower.pem, upper.pem] }).length, 4);
  });

  test("refuses a chain holding a certificate twice", () => {
    refused(
      {
        leaf: deepLeaf,
        ca: root,
        chain: [deepLeaf.pem, intermediate.pem, intermediate.pem, root.pem],
      },
      "ca-chain",
      /the same certificate twice \(positions 2 and 3\)/,
    );
  });

  test("refuses an issuer that is not a CA", () => {
    const notCa = makeCa({ commonName: "Not a CA", issuer: root, notACa: true });
    const below = makeLeaf(notCa);
    refused(
      { leaf: below, ca: root, chain: [notCa.pem] },
      "ca-chain",
      /ca-chain certificate 1 \(CN=Not a CA\) is not a CA certificate \(no basicConstraints CA:TRUE\)/,
    );
    const rootNotCa = makeCa({ commonName: "Plain", notACa: true });
    refused(
      { leaf: makeLeaf(rootNotCa), ca: rootNotCa },
      "ca-certificate",
      /ca-certificate \(CN=Plain\) is not a CA certificate/,
    );
  });

  test("refuses an issuer whose keyUsage lacks keyCertSign", () => {
    const ca = makeCa({ commonName: "Signer", keyUsage: "critical,digitalSignature" });
    refused({ leaf: makeLeaf(ca), ca }, "ca-certificate", /keyUsage without keyCertSign/);
  });

  test("refuses a chain longer than an issuer's pathLenConstraint", () => {
    const strict = makeCa({ commonName: "Strict", pathLength: 0 });
    const sub = makeCa({ commonName: "Sub", issuer: strict });
    refused(
      { leaf: makeLeaf(sub), ca: strict, chain: [sub.pem] },
      "ca-certificate",
      /allows 0 CA certificate\(s\) below it \(pathLenConstraint\), the chain has 1/,
    );
  });

  test("refuses an issuer with an unsupported key", () => {
    const weak = makeCa({ commonName: "Weak", keyType: "rsa-1024" });
    refused(
      { leaf: makeLeaf(weak), ca: weak },
      "ca-certificate",
      /public key RSA 1024 is too small/,
    );
  });

  test("refuses an expired or not yet valid certificate, with ISO dates", () => {
    const csr = makeCsr();
    const notBefore = new Date("2020-01-01T00:00:00Z");
    const notAfter = new Date("2021-01-01T00:00:00Z");
    const expired = signCsr(csr, root, { notBefore, notAfter });
    refused(
      { leaf: { csr: csr.pem, pem: expired }, ca: root },
      "certificate",
      /certificate \(CN=test.example\) has expired \(valid from 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z; now /,
    );
    const future = signCsr(csr, root, { notBefore: new Date(Date.now() + 2 * DAY) });
    refused(
      { leaf: { csr: csr.pem, pem: future }, ca: root },
      "certificate",
      /is not valid yet \(valid from \d{4}-/,
    );
  });

  test("refuses an expired intermediate or CA, naming which", () => {
    const oldIntermediate = makeCa({
      commonName: "Old Intermediate",
      issuer: root,
      notBefore: new Date(Date.now() - 10 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    refused(
      { leaf: makeLeaf(oldIntermediate), ca: root, chain: [oldIntermediate.pem] },
      "ca-chain",
      /ca-chain certificate 1 \(CN=Old Intermediate\) has expired/,
    );
    const oldRoot = makeCa({
      commonName: "Old Root",
      notBefore: new Date("2020-01-01Z"),
      notAfter: new Date("2021-01-01Z"),
    });
    refused(
      { leaf: makeLeaf(oldRoot), ca: oldRoot },
      "ca-certificate",
      /ca-certificate \(CN=Old Root\) has expired/,
    );
  });

  test("judges validity at the given time", () => {
    refused({ leaf, ca: root, at: new Date(Date.now() + 400 * DAY) }, "certificate", /has expired/);
    refused({ leaf, ca: root, at: new Date(Date.now() - DAY) }, "certificate", /not valid yet/);
  });

  test("tolerates a few minutes of clock skew before notBefore, not more", () => {
    const issued = cert(leaf.pem).notBefore.getTime();
    assert.equal(chainOf({ leaf, ca: root, at: new Date(issued - 4 * 60_000) }).length, 2);
    refused({ leaf, ca: root, at: new Date(issued - 6 * 60_000) }, "certificate", /not valid yet/);
  });
});
