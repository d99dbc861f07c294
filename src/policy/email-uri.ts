import { readDnsName } from "./dns-names.ts";
import type { EmailRule, UriRule } from "./policy.ts";

// Email addresses and URIs, normalised the same way in rules and requests: an address is
// lowercased and its domain read as a DNS name; a URI is put in WHATWG URL form (scheme and a
// special scheme's host lowercased, the host in IDNA), and then compared exactly.

export type TextReading =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly problem: string };

const CONTROL_OR_SPACE = /[\s\p{Cc}]/u;

function readDomain(domain: string): TextReading {
  const reading = readDnsName(domain);
  if (!reading.ok) return { ok: false, problem: `its domain ${reading.problem}` };
  if (reading.name.wildcard) return { ok: false, problem: "its domain is a wildcard" };
  return { ok: true, value: reading.name.labels.join(".") };
}

/** One address, "user@example.com", normalised. */
export function readEmail(text: string): TextReading {
  if (CONTROL_OR_SPACE.test(text)) return { ok: false, problem: "holds whitespace" };
  const at = text.indexOf("@");
  if (at <= 0 || at !== text.lastIndexOf("@")) {
    return { ok: false, problem: "is not an address of the form user@domain" };
  }
  const domain = readDomain(text.slice(at + 1));
  if (!domain.ok) return domain;
  return { ok: true, value: `${text.slice(0, at).toLowerCase()}@${domain.value}` };
}

export type EmailRuleReading =
  | { readonly ok: true; readonly rule: EmailRule }
  | { readonly ok: false; readonly problem: string };

/** A rule: an exact address, or `@example.com` for every address of that domain. */
export function readEmailRule(text: string): EmailRuleReading {
  if (text.startsWith("@")) {
    const domain = readDomain(text.slice(1));
    if (!domain.ok) return domain;
    return { ok: true, rule: { text, value: domain.value, domainOnly: true } };
  }
  const address = readEmail(text);
  if (!address.ok) return address;
  return { ok: true, rule: { text, value: address.value, domainOnly: false } };
}

export function emailRuleMatches(rule: EmailRule, address: string): boolean {
  return rule.domainOnly ? address.endsWith(`@${rule.value}`) : address === rule.value;
}

/** One URI, in WHATWG URL form. */
export function readUri(text: string): TextReading {
  if (CONTROL_OR_SPACE.test(text)) return { ok: false, problem: "holds whitespace" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "is not an absolute URI" };
  }
  return { ok: true, value: url.href };
}

export type UriRuleReading =
  { readonly ok: true; readonly rule: UriRule } | { readonly ok: false; readonly problem: string };

export function readUriRule(text: string): UriRuleReading {
  const uri = readUri(text);
  return uri.ok ? { ok: true, rule: { text, value: uri.value } } : uri;
}
