// Many requests and the certificates a CA signed for them, fast: a fresh EC P-256 key per CSR
// and certificates built here with the ASN.1 classes and signed with node:crypto. openssl
// would cost a process per certificate, minutes for a batch of a thousand.
import {
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { CertificationRequest } from "@peculiar/asn1-csr";
import type { Name } from "@peculiar/asn1-x509";
import {
  AlgorithmIdentifier,
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  KeyUsage,
  KeyUsageFlags,
  id_ce_basicConstraints,
  id_ce_keyUsage,
} from "@peculiar/asn1-x509";
import { csrFactory, type CsrFactory } from "../../bench/csrs.ts";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

function pem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(new Uint8Array(der))
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----`;
}

const fromPem = (text: string): Buffer =>
  Buffer.from(text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");

/** A CSR factory whose every CSR has a fresh key, the way distinct requirer units would. */
export function distinctKeyCsrs(): CsrFactory & { keyOf(csr: string): KeyObject } {
  const keys = new Map<string, KeyObject>();
  return {
    keyPem: "",
    csr(dnsName) {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const csr = csrFactory(privateKey).csr(dnsName);
      keys.set(csr, privateKey);
      return csr;
    },
    keyOf(csr) {
      const key = keys.get(csr);
      if (key === undefined) throw new Error("no key for this CSR");
      return key;
    },
  };
}

export interface SigningCa {
  /** PEM of the CA certificate (an EC P-256 key, as makeCa makes by default). */
  readonly pem: string;
  readonly key: string;
}

export interface SignOptions {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** CA:TRUE with keyCertSign, for a request that asked for a CA certificate. */
  readonly isCa?: boolean;
  /** The public key as this CA writes it (the CSR's key re-encoded); the CSR's bytes if not. */
  readonly subjectPublicKeyInfo?: Buffer;
}

const signers = new Map<string, { issuer: Name; key: KeyObject }>();

function signer(ca: SigningCa): { issuer: Name; key: KeyObject } {
  let found = signers.get(ca.pem);
  if (found === undefined) {
    found = {
      issuer: AsnConvert.parse(fromPem(ca.pem), Certificate).tbsCertificate.subject,
      key: createPrivateKey(ca.key),
    };
    signers.set(ca.pem, found);
  }
  return found;
}

/** A leaf certificate for the CSR, issued by the CA: its subject and key, CA:FALSE. */
export function issueFor(csrPem: string, ca: SigningCa, options: SignOptions = {}): string {
  const request = AsnConvert.parse(fromPem(csrPem), CertificationRequest);
  const { issuer, key } = signer(ca);
  const serial = randomBytes(16);
  // Positive and minimal in DER: the top bit clear, the next one set.
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const now = Date.now();
  const algorithm = new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length),
    signature: algorithm,
    issuer,
    validity: new Validity({
      notBefore: options.notBefore ?? new Date(now - 60_000),
      notAfter: options.notAfter ?? new Date(now + 90 * 86_400_000),
    }),
    subject: request.certificationRequestInfo.subject,
    subjectPublicKeyInfo: AsnConvert.parse(
      options.subjectPublicKeyInfo ??
        AsnConvert.serialize(request.certificationRequestInfo.subjectPKInfo),
      SubjectPublicKeyInfo,
    ),
    extensions: new Extensions([
      new Extension({
        extnID: id_ce_basicConstraints,
        critical: true,
        extnValue: new OctetString(
          AsnConvert.serialize(new BasicConstraints({ cA: options.isCa === true })),
        ),
      }),
      ...(options.isCa === true
        ? [
            new Extension({
              extnID: id_ce_keyUsage,
              critical: true,
              extnValue: new OctetString(
                AsnConvert.serialize(
                  new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
                ),
              ),
            }),
          ]
        : []),
    ]),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign("sha256", tbsDer, key);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: signature.buffer.slice(
      signature.byteOffset,
      signature.byteOffset + signature.length,
    ),
  });
  return pem("CERTIFICATE", AsnConvert.serialize(certificate));
}
