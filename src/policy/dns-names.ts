import { domainToASCII } from "node:url";
import { remembered } from "../x509/remembered.ts";
import { isIpAddress } from "./ip-ranges.ts";

// DNS names as rules and requests are compared: lowercase, IDNA to ASCII, split into labels.
// Rules and requested names go through the same function, so a name written in another case
// or in Unicode is the same name.

export interface DnsName {
  /** Lowercase ASCII labels, leftmost first; "*" first for a wildcard name. */
  readonly labels: readonly string[];
  readonly wildcard: boolean;
}

export type DnsNameReading =
  | { readonly ok: true; readonly name: DnsName }
  | { readonly ok: false; readonly problem: string; readonly isIpAddress: boolean };

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
// Before IDNA: letters, marks and digits of any script, hyphen, underscore. This keeps out what
// a URL host parser would cut at or decode ("/", "%", ":", "@"), which would change the name.
const UNICODE_LABEL = /^[\p{L}\p{M}\p{N}_-]+$/u;
const ASCII_LABEL = /^[a-z0-9_-]+$/;
// A last label that a URL host parser reads as a number makes the name an IPv4 address to it.
const NUMERIC_LABEL = /^(\d+|0x[0-9a-f]*)$/;

const invalid = (problem: string, isIpAddress = false): DnsNameReading => ({
  ok: false,
  problem,
  isIpAddress,
});

/**
 * Reads a DNS name; `*.` may stand first (a literal wildcard name). Never throws; the problem
 * says what is wrong in the operator's or requirer's terms.
 */
// A hook judges the same few thousand names (a CN and its SAN are one).
export const readDnsName: (raw: string) => DnsNameReading = remembered(20_000, read);

// Plain ASCII names with no punycode label come out of IDNA only lowercased: skip the call.
const PLAIN_ASCII = /^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function read(raw: string): DnsNameReading {
  if (raw === "") return invalid("is empty");
  if (isIpAddress(raw)) return invalid("is an IP address, not a DNS name", true);
  if (/\s/u.test(raw)) return invalid("holds whitespace");
  if (raw.endsWith(".")) return invalid("ends with a dot");
  const lower = raw.toLowerCase();
  const wildcard = lower.startsWith("*.");
  const rest = wildcard ? lower.slice(2) : lower;
  if (rest.includes("*")) return invalid("has a wildcard that is not the whole leftmost label");
  const unicodeLabels = rest.split(".");
  if (unicodeLabels.some((label) => label === "")) return invalid("has an empty label");
  if (!unicodeLabels.every((label) => UNICODE_LABEL.test(label))) {
    return invalid("holds a character a DNS name cannot have");
  }
  if (NUMERIC_LABEL.test(unicodeLabels.at(-1)!)) {
    return invalid("is an IP address, not a DNS name", true);
  }
  const ascii = PLAIN_ASCII.test(rest) && !/(^|\.)xn--/.test(rest) ? rest : domainToASCII(rest);
  if (ascii === "") return invalid("is not a valid internationalized domain name");
  const labels = ascii.split(".");
  if (NUMERIC_LABEL.test(labels.at(-1)!)) return invalid("is an IP address, not a DNS name", true);
  for (const label of labels) {
    if (!ASCII_LABEL.test(label)) return invalid("holds a character a DNS name cannot have");
    if (label.length > MAX_LABEL_LENGTH) {
      return invalid(`has a label longer than ${MAX_LABEL_LENGTH} characters`);
    }
  }
  const all = wildcard ? ["*", ...labels] : labels;
  if (all.join(".").length > MAX_NAME_LENGTH) {
    return invalid(`is longer than ${MAX_NAME_LENGTH} characters`);
  }
  return { ok: true, name: { labels: all, wildcard } };
}

/** The normalised text of a name. */
export const dnsNameText = (name: DnsName): string => name.labels.join(".");
