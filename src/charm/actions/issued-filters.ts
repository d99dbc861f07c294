import { createHash } from "node:crypto";
import { ActionFailure } from "../../juju/index.ts";
import type { ProvidedCertificate } from "../../interface/provided-certificates.ts";
import { mentionsPrivateKey, readOnePem, CERTIFICATE } from "../../x509/pem.ts";
import { parseCertificate, type ParsedCertificate } from "../../x509/certificate.ts";
import {
  DistinguishedNameError,
  readDistinguishedName,
  sameName,
  type NameKey,
} from "../../x509/distinguished-name.ts";
import { remembered } from "../../x509/remembered.ts";
import { parseCertificateParam } from "./certificate-params.ts";

// get-issued-certificates' filters: `issuer`, the CA that signed what is to be re-signed, and
// `expiring-within`, how soon a certificate ends. Rotating a CA, an operator re-signs exactly
// what the old CA signed, or what expires soon.

/** One published certificate as the filters see it; `parsed` is undefined when unreadable. */
export interface IssuedEntry {
  readonly entry: ProvidedCertificate;
  readonly parsed: ParsedCertificate | undefined;
}

export type IssuedFilter = (issued: IssuedEntry) => boolean;

export interface FilterParams {
  readonly issuer?: string | undefined;
  readonly "expiring-within"?: string | undefined;
}

const FINGERPRINT_PREFIX = /^sha-?256\s+fingerprint\s*=\s*/i;
const OPENSSL_NAME_PREFIX = /^(subject|issuer)\s*=\s*(?=.*=)/i;
const HEX_PAIRS = /^[0-9a-f]+$/i;
const ISSUER_FORMS =
  "give the CA's certificate (PEM or base64 of it), its SHA-256 fingerprint " +
  "(64 hex digits, colons allowed), or its subject (CN=Example CA,O=Example)";

/** Every filter given, all of which a certificate must pass; a bad value fails the action. */
export async function readIssuedFilters(given: FilterParams, now: Date): Promise<IssuedFilter> {
  const filters: IssuedFilter[] = [];
  if (given.issuer !== undefined) filters.push(issuerFilter(given.issuer));
  if (given["expiring-within"] !== undefined) {
    filters.push(await expiryFilter(given["expiring-within"], now));
  }
  // What cannot be read cannot be judged: a filter never hides it.
  return (issued) => issued.parsed === undefined || filters.every((filter) => filter(issued));
}

async function expiryFilter(text: string, now: Date): Promise<IssuedFilter> {
  // The signing policy's duration syntax; its code is loaded only when it is used.
  const { readDuration } = await import("../../policy/duration.ts");
  const reading = readDuration(text.trim());
  if (!reading.ok) throw new ActionFailure(`expiring-within: ${reading.problem}`);
  const before = now.getTime() + reading.seconds * 1000;
  return ({ parsed }) => parsed !== undefined && parsed.notAfter.getTime() <= before;
}

/** SHA-256 of the DER, lower-case hex; undefined for text that is not one certificate. */
const fingerprintOf = remembered(1000, (pem: string): string | undefined => {
  try {
    return createHash("sha256").update(readOnePem(pem, CERTIFICATE).der).digest("hex");
  } catch {
    return undefined;
  }
});

const subjectOf = remembered(1000, (pem: string): NameKey | undefined => {
  try {
    return readDistinguishedName(parseCertificate(pem).subject);
  } catch {
    return undefined;
  }
});

/** The certificates above the leaf in the chain we published, the CA at the top included. */
function above(entry: ProvidedCertificate): string[] {
  return [...new Set([...entry.chain.slice(1), entry.ca])];
}

function issuerFilter(text: string): IssuedFilter {
  const trimmed = text.trim();
  if (trimmed === "") throw new ActionFailure(`issuer: is empty; ${ISSUER_FORMS}`);
  if (mentionsPrivateKey(trimmed) || trimmed.includes("-----BEGIN") || /^LS0tLS1/.test(trimmed)) {
    const ca = parseCertificateParam("issuer", trimmed);
    return fingerprintFilter(createHash("sha256").update(ca.der).digest("hex"));
  }
  // Only leading space goes: a name may end in an escaped one ("CN=x\\ ").
  const unprefixed = text.replace(/^\s+/, "").replace(FINGERPRINT_PREFIX, "");
  const hex = unprefixed.trim().replace(/:/g, "");
  if (!unprefixed.includes("=") && HEX_PAIRS.test(hex)) {
    if (hex.length !== 64) {
      const sha1 = hex.length === 40 ? " (this looks like SHA-1)" : "";
      throw new ActionFailure(
        `issuer: a SHA-256 fingerprint has 64 hex digits, this one ${hex.length}${sha1}; ` +
          "`openssl x509 -in ca.pem -noout -fingerprint -sha256` prints it",
      );
    }
    return fingerprintFilter(hex.toLowerCase());
  }
  if (!unprefixed.includes("=")) {
    throw new ActionFailure(`issuer: is neither a fingerprint nor a subject; ${ISSUER_FORMS}`);
  }
  let name: NameKey;
  try {
    name = readDistinguishedName(unprefixed.replace(OPENSSL_NAME_PREFIX, ""));
  } catch (error) {
    if (!(error instanceof DistinguishedNameError)) throw error;
    throw new ActionFailure(`issuer: ${error.problem}; ${ISSUER_FORMS}`);
  }
  return ({ entry, parsed }) => {
    const issuerName = parsed === undefined ? undefined : readNameOrNothing(parsed.issuer);
    if (issuerName !== undefined && sameName(issuerName, name)) return true;
    return above(entry).some((pem) => {
      const subject = subjectOf(pem);
      return subject !== undefined && sameName(subject, name);
    });
  };
}

function fingerprintFilter(hex: string): IssuedFilter {
  return ({ entry }) => above(entry).some((pem) => fingerprintOf(pem) === hex);
}

function readNameOrNothing(text: string): NameKey | undefined {
  try {
    return readDistinguishedName(text);
  } catch {
    return undefined;
  }
}

/** openssl's way of writing a fingerprint: upper-case hex pairs joined by colons. */
export function fingerprintText(pem: string): string | null {
  const hex = fingerprintOf(pem);
  return hex === undefined ? null : (hex.toUpperCase().match(/../g) ?? []).join(":");
}
