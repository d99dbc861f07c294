import { attributeNameOf } from "./names.ts";

// A distinguished name typed by a person, compared with a certificate's: RFC 4514 as our
// listings print it (`CN=Example CA,O=Example`), OpenSSL's one-line form
// (`C = US, O = Example, CN = Example CA`) or its old slash form (`/C=US/O=Example/CN=Example CA`).
// Two names are the same when they hold the same attribute=value pairs in any order: attribute
// types compared without case and under their usual aliases, values exactly, escapes undone.

export class DistinguishedNameError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = "DistinguishedNameError";
  }
}

/** The name's pairs as `type=value`, sorted: equal arrays are the same name. */
export type NameKey = readonly string[];

const ALIASES: Readonly<Record<string, string>> = {
  commonname: "cn",
  countryname: "c",
  organizationname: "o",
  organizationalunitname: "ou",
  localityname: "l",
  s: "st",
  stateorprovincename: "st",
  streetaddress: "street",
  domaincomponent: "dc",
  userid: "uid",
  e: "emailaddress",
  email: "emailaddress",
  surname: "sn",
  givenname: "gn",
};

const OID = /^\d+(\.\d+)+$/;

/** A part of the operator's text, quoted in a message: short, whatever they pasted. */
const quoted = (text: string): string =>
  JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
const TYPE = /^[A-Za-z][A-Za-z0-9-]*$/;

function canonicalType(raw: string): string {
  const type = raw.trim();
  if (OID.test(type)) return (attributeNameOf(type) ?? type).toLowerCase();
  if (!TYPE.test(type)) {
    throw new DistinguishedNameError(`${quoted(type)} is not an attribute type such as CN or O`);
  }
  const lower = type.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Splits at `separators` outside escapes; the pieces keep their escapes. */
function splitUnescaped(text: string, separators: string): string[] {
  const pieces: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\" && i + 1 < text.length) {
      current += char + text[i + 1]!;
      i++;
    } else if (separators.includes(char)) {
      pieces.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  pieces.push(current);
  return pieces;
}

/** RFC 4514 §2.4 undone: `\,` is a comma, `\C3\A9` the UTF-8 bytes of é. */
function unescape(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char, "utf8"));
      continue;
    }
    const pair = value.slice(i + 1, i + 3);
    if (/^[0-9A-Fa-f]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (i + 1 < value.length) {
      bytes.push(...Buffer.from(value[i + 1]!, "utf8"));
      i++;
    } else {
      throw new DistinguishedNameError(`${quoted(value)} ends with a lone backslash`);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Whitespace around a value (or the whole name) goes, unless escaped (`\ `). */
function trimValue(raw: string): string {
  let value = raw.replace(/^\s+/, "");
  while (/\s$/.test(value) && !/\\\s$/.test(value)) value = value.slice(0, -1);
  return value;
}

/** The pairs of a name as written; a problem throws DistinguishedNameError. */
export function readDistinguishedName(text: string): NameKey {
  const trimmed = trimValue(text);
  if (trimmed === "") throw new DistinguishedNameError("is empty");
  const parts = trimmed.startsWith("/")
    ? trimmed
        .slice(1)
        .split("/")
        .filter((part) => part.trim() !== "")
    : splitUnescaped(trimmed, ",+");
  const pairs = parts.map((part) => {
    const [type, ...rest] = splitUnescaped(part, "=");
    if (rest.length === 0 || type === undefined || type.trim() === "") {
      throw new DistinguishedNameError(`${quoted(part.trim())} is not attribute=value`);
    }
    // An unescaped "=" inside a value (OpenSSL prints them so) belongs to the value.
    const value = unescape(trimValue(rest.join("=")));
    if (value === "") throw new DistinguishedNameError(`${quoted(part.trim())} has no value`);
    return `${canonicalType(type)}=${value}`;
  });
  return pairs.sort();
}

export function sameName(a: NameKey, b: NameKey): boolean {
  return a.length === b.length && a.every((pair, i) => pair === b[i]);
}
