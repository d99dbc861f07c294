import { DerError, TAG, childrenOf, contentOf, expectTag, readOnly, type Tlv } from "./der.ts";
import { CERTIFICATE, readOnePem } from "./pem.ts";

// Every hook shows how soon published certificates expire, possibly thousands of them: reading
// the validity by position costs microseconds, where a full parse costs a tenth of a millisecond.

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** The validity period of one PEM certificate; throws DerError or PemError when unreadable. */
export function certificateValidity(pem: string): Validity {
  return validityOf(canonicalDer(pem) ?? readOnePem(pem, CERTIFICATE).der);
}

/** The validity period of one DER certificate; throws DerError when unreadable. */
export function validityOf(der: Uint8Array): Validity {
  const certificate = expectTag(readOnly(der), TAG.sequence, "Certificate");
  const [tbs] = childrenOf(der, certificate);
  const fields = childrenOf(der, expectTag(tbs, TAG.sequence, "tbsCertificate"));
  // version [0] is optional; after it come serialNumber, signature, issuer, validity.
  const validityAt = fields[0]?.tag === TAG.contextConstructed0 ? 4 : 3;
  const validity = expectTag(fields[validityAt], TAG.sequence, "validity");
  const [notBefore, notAfter] = childrenOf(der, validity);
  return {
    notBefore: readTime(der, notBefore, "notBefore"),
    notAfter: readTime(der, notAfter, "notAfter"),
  };
}

function readTime(der: Uint8Array, tlv: Tlv | undefined, what: string): Date {
  if (tlv === undefined) throw new DerError(`${what} is missing`);
  const text = contentOf(der, tlv).toString("latin1");
  const match =
    tlv.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tlv.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError(`${what} is not a DER UTCTime or GeneralizedTime`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  // RFC 5280: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  const year = tlv.tag === UTC_TIME ? (y! >= 50 ? 1900 + y! : 2000 + y!) : y!;
  return new Date(Date.UTC(year, mo! - 1, d!, h!, mi!, s!));
}

const HEADER = "-----BEGIN CERTIFICATE-----\n";
const FOOTER = "\n-----END CERTIFICATE-----";

// Certificates we published are one canonical block, as we wrote them; decoding that directly
// skips the strict parser's scans. Anything else, or DER that does not walk, still fails.
function canonicalDer(pem: string): Buffer | undefined {
  if (!pem.startsWith(HEADER) || !pem.endsWith(FOOTER)) return undefined;
  const body = pem.slice(HEADER.length, pem.length - FOOTER.length);
  if (body.includes("-")) return undefined;
  return Buffer.from(body, "base64");
}
