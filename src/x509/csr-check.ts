import { createPublicKey } from "node:crypto";
import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  decodeOid,
  encodingOf,
  expectTag,
  readOnly,
  type Tlv,
} from "./der.ts";
import { MAX_RSA_BITS, MIN_RSA_BITS, unsupportedKeyReason } from "./keys.ts";
import { CERTIFICATE_REQUEST, PemError, readOnePem } from "./pem.ts";
import { remembered } from "./remembered.ts";

// The cheap check run on every CSR found on every hook, possibly thousands: node builtins only,
// no ASN.1 library, no signature verification. It answers "could we ever sign this?" well
// enough to skip what would break a reader; `parseCsr` does the full job when it matters.

export type CsrCheck =
  | { readonly ok: true; readonly publicKeyDer: Buffer; readonly der: Buffer }
  | { readonly ok: false; readonly reason: string };

/** The parts of a CertificationRequest located by position (RFC 2986). */
export interface CsrLayout {
  /** The CertificationRequestInfo, exactly as encoded: what the signature covers. */
  readonly info: Buffer;
  readonly subject: Buffer;
  readonly subjectPublicKeyInfo: Buffer;
  /** The signatureAlgorithm AlgorithmIdentifier. */
  readonly signatureAlgorithm: Buffer;
  /** The signature BIT STRING content without its unused-bits byte. */
  readonly signature: Buffer;
}

/** Walks CertificationRequest → CertificationRequestInfo → version, subject, SPKI. */
export function locateCsrParts(der: Buffer): CsrLayout {
  const outer = expectTag(readOnly(der), TAG.sequence, "CertificationRequest");
  const [info, algorithm, signature, ...extra] = childrenOf(der, outer);
  expectTag(info, TAG.sequence, "CertificationRequestInfo");
  expectTag(algorithm, TAG.sequence, "signatureAlgorithm");
  expectTag(signature, TAG.bitString, "signature");
  if (extra.length > 0) throw new DerError("CertificationRequest has more than 3 parts");

  const [version, subject, spki, attributes, ...more] = childrenOf(der, info as Tlv);
  const versionContent = contentOf(der, expectTag(version, TAG.integer, "version"));
  if (versionContent.length !== 1 || versionContent[0] !== 0) {
    throw new DerError("version is not v1 (0)");
  }
  expectTag(subject, TAG.sequence, "subject");
  expectTag(spki, TAG.sequence, "subjectPublicKeyInfo");
  // RFC 2986 makes attributes mandatory, but OpenSSL accepts a CSR without them.
  if (attributes !== undefined) expectTag(attributes, TAG.contextConstructed0, "attributes");
  if (more.length > 0) throw new DerError("CertificationRequestInfo has more than 4 parts");

  const bits = contentOf(der, signature as Tlv);
  if (bits.length < 2 || bits[0] !== 0)
    throw new DerError("signature is not a whole number of bytes");
  return {
    info: encodingOf(der, info as Tlv),
    subject: encodingOf(der, subject as Tlv),
    subjectPublicKeyInfo: encodingOf(der, spki as Tlv),
    signatureAlgorithm: encodingOf(der, algorithm as Tlv),
    signature: bits.subarray(1),
  };
}

// Loading the key is nine tenths of the cost (~0.1 ms with OpenSSL 3.0), and one hook may look
// at the same requests more than once (reconcile, then an action), so answers are remembered.
/**
 * Is this text one PEM CERTIFICATE REQUEST, well-formed DER, with a public key of a type we
 * support? Never throws; the reason never quotes the text.
 */
export const checkRequestedCsr: (text: string) => CsrCheck = remembered(10_000, check);

function check(text: string): CsrCheck {
  let der: Buffer;
  try {
    der = readOnePem(text, CERTIFICATE_REQUEST).der;
  } catch (error) {
    if (error instanceof PemError) return { ok: false, reason: `CSR text: ${error.message}` };
    throw error;
  }
  let spki: Buffer;
  try {
    spki = locateCsrParts(der).subjectPublicKeyInfo;
  } catch (error) {
    if (error instanceof DerError) {
      return {
        ok: false,
        reason: `CSR is not a well-formed PKCS#10 request: ${error.message}`,
      };
    }
    throw error;
  }
  let unsupported: string | undefined;
  try {
    unsupported =
      structuralKeyCheck(spki) ??
      unsupportedKeyReason(createPublicKey({ key: spki, format: "der", type: "spki" }));
  } catch {
    return { ok: false, reason: "CSR public key cannot be loaded" };
  }
  if (unsupported !== undefined && unsupported !== KEY_OK) {
    return { ok: false, reason: `CSR public key: ${unsupported}` };
  }
  return { ok: true, publicKeyDer: spki, der };
}

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const ED25519 = "1.3.101.112";
const KEY_OK = "";

/**
 * RSA and Ed25519 keys, most of what requirers send, are checked from their DER in
 * microseconds; OpenSSL's key loading costs a tenth of a millisecond. EC keys still go through
 * OpenSSL, which checks that the point is on the curve. Returns KEY_OK, a reason, or undefined
 * when OpenSSL must decide.
 */
function structuralKeyCheck(spki: Buffer): string | undefined {
  try {
    const [algorithm, key] = childrenOf(spki, expectTag(readOnly(spki), TAG.sequence, "SPKI"));
    const [oid, parameters] = childrenOf(spki, expectTag(algorithm, TAG.sequence, "algorithm"));
    const bits = contentOf(spki, expectTag(key, TAG.bitString, "subjectPublicKey"));
    const algorithmOid = decodeOid(contentOf(spki, expectTag(oid, TAG.oid, "algorithm OID")));
    if (bits[0] !== 0) return undefined;
    if (algorithmOid === ED25519) {
      return parameters === undefined && bits.length === 33 ? KEY_OK : undefined;
    }
    if (algorithmOid !== RSA_ENCRYPTION || parameters?.tag !== NULL_TAG) return undefined;
    const rsaKey = bits.subarray(1);
    const [modulus, exponent, ...rest] = childrenOf(
      rsaKey,
      expectTag(readOnly(rsaKey), TAG.sequence, "RSAPublicKey"),
    );
    const n = contentOf(rsaKey, expectTag(modulus, TAG.integer, "modulus"));
    expectTag(exponent, TAG.integer, "publicExponent");
    if (rest.length > 0 || n.length < 2 || n[0] !== 0 || (n[1]! & 0x80) === 0) return undefined;
    const modulusBits = (n.length - 1) * 8 - Math.clz32(n[1]!) + 24;
    if (modulusBits < MIN_RSA_BITS)
      return `RSA ${modulusBits} is too small (at least ${MIN_RSA_BITS} bits)`;
    if (modulusBits > MAX_RSA_BITS)
      return `RSA ${modulusBits} is too large (at most ${MAX_RSA_BITS} bits)`;
    return KEY_OK;
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

const NULL_TAG = 0x05;

/** The CSR's SubjectPublicKeyInfo exactly as encoded. Throws when it cannot be read. */
export function csrSubjectPublicKeyInfo(text: string): Buffer {
  return locateCsrParts(readOnePem(text, CERTIFICATE_REQUEST).der).subjectPublicKeyInfo;
}
