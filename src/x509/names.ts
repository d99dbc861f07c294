import { AsnConvert } from "@peculiar/asn1-schema";
import {
  type Extensions,
  SubjectAlternativeName,
  id_ce_subjectAltName,
  type AttributeValue,
  type GeneralName,
  type Name,
} from "@peculiar/asn1-x509";

// Distinguished names and subject alternative names as people read them.

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.45": "x500UniqueIdentifier",
  "2.5.4.46": "dnQualifier",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

/** The short name our names are printed with ("CN" for 2.5.4.3); undefined for another type. */
export function attributeNameOf(oid: string): string | undefined {
  return Object.hasOwn(ATTRIBUTE_NAMES, oid) ? ATTRIBUTE_NAMES[oid] : undefined;
}

export const OID_COMMON_NAME = "2.5.4.3";
export const OID_X500_UNIQUE_IDENTIFIER = "2.5.4.45";

// Control characters (C0, DEL, C1) and the line and paragraph separators: a requirer may put
// them in its CSR, and shown raw they break a table's lines, drive the operator's terminal, or
// (NUL) make node refuse to spawn the hook tool that would carry them.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNPRINTABLE = /[\0-\x1f\x7f-\x9f\u2028\u2029]/g;

/** Text with each unprintable character as RFC 4514 hex pairs of its UTF-8 bytes ("\\0A"). */
function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (char) =>
    [...Buffer.from(char, "utf8")]
      .map((byte) => `\\${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
}

/** RFC 4514 §2.4: the specials, a leading "#" or space, a trailing space, and the unprintable. */
export function escapeAttributeValue(value: string): string {
  return escapeUnprintable(value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`))
    .replace(/^([#\s])/, "\\$1")
    .replace(/(\s)$/, "\\$1");
}

/** The text of an attribute value, or undefined when it is not a string type. */
export function attributeText(value: AttributeValue): string | undefined {
  return (
    value.utf8String ??
    value.printableString ??
    value.ia5String ??
    value.teletexString ??
    value.bmpString ??
    value.universalString
  );
}

function formatValue(value: AttributeValue): string {
  const text = attributeText(value);
  if (text !== undefined) return escapeAttributeValue(text);
  // A value of another ASN.1 type (a BIT STRING x500UniqueIdentifier, say): "#" and its DER.
  return value.anyValue === undefined ? "" : `#${Buffer.from(value.anyValue).toString("hex")}`;
}

/** RFC 4514 form: most specific part first, "CN=foo,O=bar". Empty for an empty name. */
export function formatName(name: Name, omit: ReadonlySet<string> = NOTHING): string {
  return [...name]
    .reverse()
    .map((rdn) =>
      [...rdn]
        .filter((atv) => !omit.has(atv.type))
        .map((atv) => `${ATTRIBUTE_NAMES[atv.type] ?? atv.type}=${formatValue(atv.value)}`)
        .join("+"),
    )
    .filter((rdn) => rdn !== "")
    .join(",");
}

const NOTHING: ReadonlySet<string> = new Set();
const UNIQUE_ID: ReadonlySet<string> = new Set([OID_X500_UNIQUE_IDENTIFIER]);

/**
 * The name without x500UniqueIdentifier: the requirer libraries put a fresh UUID there in every
 * CSR they make (canonical/charmlibs interfaces/tls-certificates/.../_tls_certificates.py,
 * `generate_csr`: `uuid.uuid4()` unless `add_unique_id_to_subject_name` is off), so only the
 * rest says "the same name" across renewals.
 */
export function formatNameWithoutUniqueId(name: Name): string {
  return formatName(name, UNIQUE_ID);
}

/** The first common name of the name, as Python's `cryptography` reads it. */
export function commonNameOf(name: Name): string | undefined {
  for (const rdn of name) {
    for (const atv of rdn) if (atv.type === OID_COMMON_NAME) return attributeText(atv.value);
  }
  return undefined;
}

/** One alternative name in OpenSSL's config syntax: "DNS:a.example", "IP:10.0.0.1". */
export function formatGeneralName(name: GeneralName): string {
  if (name.dNSName !== undefined) return `DNS:${escapeUnprintable(name.dNSName)}`;
  if (name.iPAddress !== undefined) return `IP:${name.iPAddress}`;
  if (name.rfc822Name !== undefined) return `email:${escapeUnprintable(name.rfc822Name)}`;
  if (name.uniformResourceIdentifier !== undefined) {
    return `URI:${escapeUnprintable(name.uniformResourceIdentifier)}`;
  }
  if (name.registeredID !== undefined) return `RID:${name.registeredID}`;
  if (name.directoryName !== undefined) return `dirName:${formatName(name.directoryName)}`;
  if (name.otherName !== undefined) return `otherName:${name.otherName.typeId}`;
  return "unsupported name";
}

/** The alternative names of a subjectAltName extension value (its OCTET STRING content). */
export function formatSubjectAltNames(extnValue: ArrayBuffer | Uint8Array): string[] {
  return [...AsnConvert.parse(extnValue, SubjectAlternativeName)].map(formatGeneralName);
}

/** The alternative names listed in a set of extensions; none when there is no SAN extension. */
export function sansOf(extensions: Extensions | undefined): string[] {
  const san = [...(extensions ?? [])].find((e) => e.extnID === id_ce_subjectAltName);
  return san === undefined ? [] : formatSubjectAltNames(san.extnValue.buffer);
}
