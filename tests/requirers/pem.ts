// PEM handling as Python `cryptography` (≥ 42) does it for the libraries: find the first block
// with an accepted label, base64-decode it strictly, parse the DER. `str(obj)` in v4 ≥ 25 and
// charmlibs is the canonical re-encoding of that DER, which is what `canonicalPem` produces.

import { X509Certificate, createPublicKey } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { CertificationRequest } from "@peculiar/asn1-csr";

const CERTIFICATE_LABELS = ["CERTIFICATE", "X509 CERTIFICATE"] as const;
const CSR_LABELS = ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"] as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function findBlock(text: string, labels: readonly string[]): Parsed<Buffer> {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
  for (const m of text.matchAll(re)) {
    const [, begin, body = "", end] = m;
    if (begin === undefined || !labels.includes(begin)) continue;
    if (end !== begin)
      return { ok: false, reason: `PEM block BEGIN ${begin} ends with END ${end}` };
    const b64 = body.replace(/\s+/g, "");
    if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
      return { ok: false, reason: `PEM block ${begin} is not valid base64` };
    }
    return { ok: true, value: Buffer.from(b64, "base64") };
  }
  return { ok: false, reason: `no PEM block labelled ${labels.join(" or ")}` };
}

/** Length of the outer DER TLV, so trailing garbage is rejected as rust-asn1 does. */
function derLength(der: Buffer): number | undefined {
  if (der.length < 2) return undefined;
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[2 + i] ?? 0);
  return 2 + n + len;
}

export function canonicalPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----`;
}

export interface ParsedCertificate {
  der: Buffer;
  /** `str(Certificate)` of v4 ≥ 25 / charmlibs. */
  canonical: string;
  /** BasicConstraints cA; a certificate without the extension is not a CA. */
  isCa: boolean;
  spkiDer: Buffer;
}

export function parseCertificatePem(text: string): Parsed<ParsedCertificate> {
  const block = findBlock(text, CERTIFICATE_LABELS);
  if (!block.ok) return block;
  const der = block.value;
  if (derLength(der) !== der.length) return { ok: false, reason: "certificate DER is malformed" };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (e) {
    return { ok: false, reason: `certificate does not parse: ${(e as Error).message}` };
  }
  return {
    ok: true,
    value: {
      der,
      canonical: canonicalPem("CERTIFICATE", der),
      isCa: cert.ca,
      spkiDer: cert.publicKey.export({ type: "spki", format: "der" }),
    },
  };
}

export interface ParsedCsr {
  der: Buffer;
  /** `str(CertificateSigningRequest)` of v4 ≥ 25 / charmlibs. */
  canonical: string;
  spkiDer: Buffer;
}

export function parseCsrPem(text: string): Parsed<ParsedCsr> {
  const block = findBlock(text, CSR_LABELS);
  if (!block.ok) return block;
  const der = block.value;
  if (derLength(der) !== der.length) return { ok: false, reason: "CSR DER is malformed" };
  try {
    const req = AsnConvert.parse(der, CertificationRequest);
    const spki = Buffer.from(AsnConvert.serialize(req.certificationRequestInfo.subjectPKInfo));
    return {
      ok: true,
      value: { der, canonical: canonicalPem("CERTIFICATE REQUEST", der), spkiDer: spki },
    };
  } catch (e) {
    return { ok: false, reason: `CSR does not parse: ${(e as Error).message}` };
  }
}

/** DER SubjectPublicKeyInfo of a public or private key in PEM. */
export function spkiDerOf(keyPem: string): Buffer {
  return createPublicKey(keyPem).export({ type: "spki", format: "der" });
}
