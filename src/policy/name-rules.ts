import type { AltName } from "../x509/facts.ts";
import { readDnsName } from "./dns-names.ts";
import { expandPattern, patternMatches, type ExpandedPattern } from "./dns-patterns.ts";
import { emailRuleMatches, readEmail, readUri } from "./email-uri.ts";
import { isIpAddress, rangeContains, readIp } from "./ip-ranges.ts";
import type { ApplicationRules, Requester, Violation, ViolationCategory } from "./policy.ts";

// One application's name rules applied to one name: deny lists first (a denied name is denied
// whatever else allows it), then the wildcard switch, then the allow list. A name type with no
// allow list may not be asked for at all.

export interface NameRules {
  /** A DNS name; `shown` is how messages name it ("DNS:a.example", "CN=a.example"). */
  dns(raw: string, shown: string): Violation[];
  ip(raw: string, shown: string): Violation[];
  /** A subject common name: empty, or an IP address or DNS name that passes as one. */
  commonName(raw: string): Violation[];
  altName(name: AltName): Violation[];
}

const violation = (category: ViolationCategory, message: string): Violation => ({
  category,
  message,
});

/** How messages name the rules' owner: "postgresql", or `web (rules of "*")`. */
export function ownerOf(rules: ApplicationRules, requester: Requester): string {
  return rules.name === "*" ? `${requester.application} (rules of "*")` : requester.application;
}

function allowedText(texts: readonly string[] | undefined, field: string): string {
  return texts === undefined || texts.length === 0
    ? `no ${field} rule`
    : `allowed: ${texts.join(", ")}`;
}

export function nameRules(rules: ApplicationRules, requester: Requester): NameRules {
  const owner = ownerOf(rules, requester);
  const expand = (patterns: readonly ApplicationRules["denyDns"][number][]) =>
    patterns
      .map((pattern) => ({ text: pattern.text, expanded: expandPattern(pattern, requester) }))
      .filter((entry): entry is { text: string; expanded: ExpandedPattern } => !!entry.expanded);
  const allowDns = expand(rules.dns ?? []);
  const denyDns = expand(rules.denyDns);

  const notAllowed = (shown: string, texts: readonly string[] | undefined, field: string) =>
    `${shown} is not allowed for ${owner} (${allowedText(texts, field)})`;
  const denied = (shown: string, field: string, rule: string) =>
    `${shown} is denied for ${owner} by ${field} ${rule}`;

  const dns = (raw: string, shown: string): Violation[] => {
    const reading = readDnsName(raw);
    if (!reading.ok) return [violation("dns", `${shown} ${reading.problem}`)];
    const name = reading.name;
    const deny = denyDns.find((rule) => patternMatches(rule.expanded, name, true));
    if (deny !== undefined) return [violation("dns", denied(shown, "deny-dns", deny.text))];
    const found: Violation[] = [];
    if (name.wildcard && !rules.wildcard) {
      found.push(
        violation("wildcard", `${shown} is a wildcard name, and wildcard is not true for ${owner}`),
      );
    }
    if (!allowDns.some((rule) => patternMatches(rule.expanded, name))) {
      const texts = rules.dns?.map((pattern) => pattern.text);
      found.push(violation("dns", notAllowed(shown, texts, "dns")));
    }
    return found;
  };

  /** A name of a listed type: unreadable, denied, or absent from the allow list, in that order. */
  function listed<V, R extends { readonly text: string }>(
    reading: { ok: true; value: V } | { ok: false; problem: string },
    shown: string,
    field: string,
    category: ViolationCategory,
    lists: { allow: readonly R[] | undefined; deny: readonly R[] },
    matches: (rule: R, value: V) => boolean,
  ): Violation[] {
    if (!reading.ok) return [violation(category, `${shown} ${reading.problem}`)];
    const deny = lists.deny.find((rule) => matches(rule, reading.value));
    if (deny !== undefined) return [violation(category, denied(shown, `deny-${field}`, deny.text))];
    if (!(lists.allow ?? []).some((rule) => matches(rule, reading.value))) {
      const texts = lists.allow?.map((rule) => rule.text);
      return [violation(category, notAllowed(shown, texts, field))];
    }
    return [];
  }

  const ip = (raw: string, shown: string): Violation[] => {
    const reading = readIp(raw);
    return listed(
      reading.ok ? { ok: true, value: reading.bytes } : reading,
      shown,
      "ip",
      "ip",
      { allow: rules.ip, deny: rules.denyIp },
      rangeContains,
    );
  };

  const email = (raw: string, shown: string): Violation[] =>
    listed(
      readEmail(raw),
      shown,
      "email",
      "other",
      { allow: rules.email, deny: rules.denyEmail },
      emailRuleMatches,
    );

  const uri = (raw: string, shown: string): Violation[] =>
    listed(
      readUri(raw),
      shown,
      "uri",
      "other",
      { allow: rules.uri, deny: rules.denyUri },
      (rule, value) => rule.value === value,
    );

  return {
    dns,
    ip,
    commonName(raw) {
      if (raw === "") return [];
      const shown = `CN=${raw}`;
      return isIpAddress(raw) ? ip(raw, shown) : dns(raw, shown);
    },
    altName(name) {
      switch (name.kind) {
        case "dns":
          return dns(name.value, `DNS:${name.value}`);
        case "ip":
          return ip(name.value, `IP:${name.value}`);
        case "email":
          return email(name.value, `email:${name.value}`);
        case "uri":
          return uri(name.value, `URI:${name.value}`);
        case "other":
          return [
            violation(
              "other",
              `${name.value} is a subjectAltName type no rule can allow (only DNS, IP, email and URI names)`,
            ),
          ];
      }
    },
  };
}
