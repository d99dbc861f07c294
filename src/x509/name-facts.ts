import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  encodeOid,
  isOid,
  expectTag,
  readOnly,
  type Tlv,
} from "./der.ts";
import type { AltName } from "./facts.ts";

// Names and extensions read with the DER reader, for judging what a CSR or a certificate asks
// for. Every value the reader cannot be sure of throws DerError: what cannot be read cannot be
// allowed (the callers fail closed on it).

// Compared as encoded: every hook reads thousands of them.
const OID_COMMON_NAME = encodeOid("2.5.4.3");
const OID_SUBJECT_ALT_NAME = encodeOid("2.5.29.17");
const OID_BASIC_CONSTRAINTS = encodeOid("2.5.29.19");

const STRING = {
  utf8: 0x0c,
  printable: 0x13,
  teletex: 0x14,
  ia5: 0x16,
  universal: 0x1c,
  bmp: 0x1e,
} as const;

const utf8 = new TextDecoder("utf-8", { fatal: true });

function ascii(bytes: Buffer, what: string): string {
  for (const byte of bytes) {
    if (byte > 0x7f) throw new DerError(`${what} holds a byte that is not ASCII`);
  }
  return bytes.toString("latin1");
}

function utf16be(bytes: Buffer): string {
  if (bytes.length % 2 !== 0) throw new DerError("BMPString of odd length");
  const swapped = Buffer.from(bytes);
  return swapped.swap16().toString("utf16le");
}

function utf32be(bytes: Buffer): string {
  if (bytes.length % 4 !== 0) throw new DerError("UniversalString of a length not a multiple of 4");
  let text = "";
  for (let i = 0; i < bytes.length; i += 4) {
    const point = bytes.readUInt32BE(i);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
      throw new DerError("UniversalString holds a value that is no character");
    }
    text += String.fromCodePoint(point);
  }
  return text;
}

/** The text of a directory string; TeletexString and other types are refused. */
function directoryString(der: Uint8Array, tlv: Tlv): string {
  const bytes = contentOf(der, tlv);
  switch (tlv.tag) {
    case STRING.utf8:
      try {
        return utf8.decode(bytes);
      } catch {
        throw new DerError("UTF8String that is not UTF-8");
      }
    case STRING.printable:
    case STRING.ia5:
      return ascii(bytes, "PrintableString or IA5String");
    case STRING.bmp:
      return utf16be(bytes);
    case STRING.universal:
      return utf32be(bytes);
    default:
      throw new DerError(`a common name of ASN.1 type 0x${tlv.tag.toString(16)} cannot be read`);
  }
}

/** Every commonName value of a Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
export function readCommonNames(der: Uint8Array, name: Tlv): string[] {
  const values: string[] = [];
  for (const rdn of childrenOf(der, expectTag(name, TAG.sequence, "Name"))) {
    for (const atv of childrenOf(der, expectTag(rdn, TAG.set, "RelativeDistinguishedName"))) {
      const [type, value, ...rest] = childrenOf(der, expectTag(atv, TAG.sequence, "attribute"));
      expectTag(type, TAG.oid, "attribute type");
      if (value === undefined || rest.length > 0) throw new DerError("attribute is not a pair");
      if (isOid(der, type, OID_COMMON_NAME)) values.push(directoryString(der, value));
    }
  }
  return values;
}

/** RFC 5952 text of an IPv6 address: lowercase, the longest run of zero groups as "::". */
function ipv6Text(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${[...bytes.subarray(12)].join(".")}`;
  }
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt === -1) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLength).join(":")}`;
}

/** The address of an iPAddress GeneralName as text, or undefined for a length of neither. */
export function ipAddressText(bytes: Buffer): string | undefined {
  if (bytes.length === 4) return [...bytes].join(".");
  if (bytes.length === 16) return ipv6Text(bytes);
  return undefined;
}

const GENERAL_NAME_OTHERS: Readonly<Record<number, string>> = {
  0xa0: "otherName",
  0xa3: "x400Address",
  0xa4: "directoryName",
  0xa5: "ediPartyName",
  0x88: "registeredID",
};

/** The entries of a subjectAltName extension value (GeneralNames). */
export function readGeneralNames(value: Buffer): AltName[] {
  const names: AltName[] = [];
  for (const entry of childrenOf(value, expectTag(readOnly(value), TAG.sequence, "GeneralNames"))) {
    const content = contentOf(value, entry);
    switch (entry.tag) {
      case 0x81:
        names.push({ kind: "email", value: ascii(content, "an rfc822Name") });
        break;
      case 0x82:
        names.push({ kind: "dns", value: ascii(content, "a dNSName") });
        break;
      case 0x86:
        names.push({ kind: "uri", value: ascii(content, "a uniformResourceIdentifier") });
        break;
      case 0x87: {
        const text = ipAddressText(content);
        names.push(
          text === undefined
            ? { kind: "other", value: `iPAddress of ${content.length} bytes` }
            : { kind: "ip", value: text },
        );
        break;
      }
      default: {
        const type = GENERAL_NAME_OTHERS[entry.tag];
        if (type === undefined)
          throw new DerError(`unknown GeneralName tag 0x${entry.tag.toString(16)}`);
        names.push({ kind: "other", value: type });
      }
    }
  }
  return names;
}

export interface ExtensionFacts {
  readonly subjectAltNameExtensions: number;
  readonly altNames: readonly AltName[];
  readonly basicConstraintsCa: boolean;
}

/** What an Extensions SEQUENCE says about names and the CA flag. */
export function readExtensions(der: Uint8Array, extensions: Tlv | undefined): ExtensionFacts {
  let subjectAltNameExtensions = 0;
  const altNames: AltName[] = [];
  let basicConstraints = 0;
  let basicConstraintsCa = false;
  const list =
    extensions === undefined
      ? []
      : childrenOf(der, expectTag(extensions, TAG.sequence, "Extensions"));
  for (const extension of list) {
    const parts = childrenOf(der, expectTag(extension, TAG.sequence, "Extension"));
    if (parts.length !== 2 && parts.length !== 3) throw new DerError("Extension has a wrong shape");
    const id = expectTag(parts[0], TAG.oid, "extnID");
    const value = expectTag(parts.at(-1), TAG.octetString, "extnValue");
    if (isOid(der, id, OID_SUBJECT_ALT_NAME)) {
      subjectAltNameExtensions++;
      altNames.push(...readGeneralNames(contentOf(der, value)));
    } else if (isOid(der, id, OID_BASIC_CONSTRAINTS)) {
      if (++basicConstraints > 1) throw new DerError("two basicConstraints extensions");
      basicConstraintsCa = readBasicConstraintsCa(contentOf(der, value));
    }
  }
  return { subjectAltNameExtensions, altNames, basicConstraintsCa };
}

const BOOLEAN = 0x01;

function readBasicConstraintsCa(value: Buffer): boolean {
  const [first] = childrenOf(value, expectTag(readOnly(value), TAG.sequence, "BasicConstraints"));
  if (first?.tag !== BOOLEAN) return false;
  const content = contentOf(value, first);
  if (content.length !== 1) throw new DerError("BOOLEAN of a wrong length");
  // DER says 0xFF; any other non-zero value is TRUE to BER readers, so it counts as asking.
  return content[0] !== 0;
}
