import { X509Certificate, type KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  BasicConstraints,
  Certificate,
  KeyUsage,
  KeyUsageFlags,
  id_ce_basicConstraints,
  id_ce_keyUsage,
} from "@peculiar/asn1-x509";
import { describeKey } from "./keys.ts";
import { commonNameOf, escapeAttributeValue, formatName, sansOf } from "./names.ts";
import { DerError, TAG, childrenOf, encodingOf, expectTag, readOnly } from "./der.ts";
import { CERTIFICATE, PemError, readOnePem, toPem, type PemBlock } from "./pem.ts";

// An X.509 certificate: node's X509Certificate for the key and signatures, the DER read with
// the ASN.1 packages for everything a decision rests on (names, extensions, dates).

export class CertificateError extends Error {
  constructor(
    readonly reason: string,
    readonly input?: string,
  ) {
    super(input === undefined ? reason : `${input}: ${reason}`);
    this.name = "CertificateError";
  }
}

export interface ParsedCertificate {
  /** Canonical PEM (64 columns, no trailing newline). */
  readonly pem: string;
  readonly der: Buffer;
  readonly x509: X509Certificate;
  /** RFC 4514 form, most specific first: "CN=foo,O=bar". */
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | undefined;
  readonly sans: readonly string[];
  /** Upper-case hex, as node prints it. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** basicConstraints cA; false when the extension is absent. */
  readonly isCa: boolean;
  /** basicConstraints pathLenConstraint, when given. */
  readonly pathLength: number | undefined;
  /** False only when a keyUsage extension is present without keyCertSign. */
  readonly mayIssueCertificates: boolean;
  readonly publicKey: KeyObject;
  /** The SubjectPublicKeyInfo exactly as encoded in the certificate. */
  readonly subjectPublicKeyInfo: Buffer;
  /** "RSA 2048", "EC P-256", "Ed25519". */
  readonly keyDescription: string;
}

/** The SubjectPublicKeyInfo as encoded, found by position in the tbsCertificate. */
function locateSubjectPublicKeyInfo(der: Buffer): Buffer {
  const [tbs] = childrenOf(der, expectTag(readOnly(der), TAG.sequence, "Certificate"));
  const fields = childrenOf(der, expectTag(tbs, TAG.sequence, "tbsCertificate"));
  // version [0] is optional; after it come serialNumber, signature, issuer, validity, subject.
  const at = fields[0]?.tag === TAG.contextConstructed0 ? 6 : 5;
  return encodingOf(der, expectTag(fields[at], TAG.sequence, "subjectPublicKeyInfo"));
}

/** Reads a certificate from DER. */
export function certificateFromDer(der: Buffer, input?: string): ParsedCertificate {
  const fail = (reason: string): CertificateError => new CertificateError(reason, input);
  let x509: X509Certificate;
  let certificate: Certificate;
  let subjectPublicKeyInfo: Buffer;
  try {
    // Node would ignore bytes after the certificate; Python's `cryptography` refuses them.
    readOnly(der);
  } catch (error) {
    if (error instanceof DerError) throw fail(`is not well-formed DER: ${error.message}`);
    throw error;
  }
  try {
    x509 = new X509Certificate(der);
    certificate = AsnConvert.parse(der, Certificate);
    subjectPublicKeyInfo = locateSubjectPublicKeyInfo(der);
  } catch {
    throw fail("is not a well-formed X.509 certificate");
  }
  const tbs = certificate.tbsCertificate;
  const extensions = [...(tbs.extensions ?? [])];
  let isCa = false;
  let pathLength: number | undefined;
  let mayIssueCertificates = true;
  let sans: string[];
  try {
    const basic = extensions.find((e) => e.extnID === id_ce_basicConstraints);
    if (basic !== undefined) {
      const value = AsnConvert.parse(basic.extnValue.buffer, BasicConstraints);
      isCa = value.cA;
      pathLength = value.pathLenConstraint;
    }
    const usage = extensions.find((e) => e.extnID === id_ce_keyUsage);
    if (usage !== undefined) {
      const flags = AsnConvert.parse(usage.extnValue.buffer, KeyUsage).toNumber();
      mayIssueCertificates = (flags & KeyUsageFlags.keyCertSign) !== 0;
    }
    sans = sansOf(tbs.extensions);
  } catch {
    throw fail(
      "has an extension that cannot be read (basicConstraints, keyUsage or subjectAltName)",
    );
  }
  let publicKey: KeyObject;
  try {
    publicKey = x509.publicKey;
  } catch {
    throw fail("has a public key that cannot be loaded");
  }
  return {
    pem: toPem(CERTIFICATE, der),
    der,
    x509,
    subject: formatName(tbs.subject),
    issuer: formatName(tbs.issuer),
    commonName: commonNameOf(tbs.subject),
    sans,
    serialNumber: x509.serialNumber,
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    isCa,
    pathLength,
    mayIssueCertificates,
    publicKey,
    subjectPublicKeyInfo,
    keyDescription: describeKey(publicKey),
  };
}

/** Parses one PEM certificate. `input` names it in errors ("certificate: …"). */
export function parseCertificate(pem: string, input?: string): ParsedCertificate {
  let block: PemBlock;
  try {
    block = readOnePem(pem, CERTIFICATE);
  } catch (error) {
    if (error instanceof PemError) throw new CertificateError(error.message, input);
    throw error;
  }
  return certificateFromDer(block.der, input);
}

/** A short name for messages: its common name, else its subject, else its serial number. */
export function certificateLabel(certificate: ParsedCertificate): string {
  if (certificate.commonName !== undefined) {
    return `CN=${escapeAttributeValue(certificate.commonName)}`;
  }
  return certificate.subject === "" ? `serial ${certificate.serialNumber}` : certificate.subject;
}
