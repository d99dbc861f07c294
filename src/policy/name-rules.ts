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

  const ip = (raw: string, shown: string): Violation[] => {
    const reading = readIp(raw);
    if (!reading.ok) return [violation("ip", `${shown} ${reading.problem}`)];
    const deny = rules.denyIp.find((range) => rangeContains(range, reading.bytes));
    if (deny !== undefined) return [violation("ip", denied(shown, "deny-ip", deny.text))];
    if (!(rules.ip ?? []).some((range) => rangeContains(range, reading.bytes))) {
      const texts = rules.ip?.map((range) => range.text);
      return [violation("ip", notAllowed(shown, texts, "ip"))];
    }
    return [];
  };

  const email = (raw: string, shown: string): Violation[] => {
    const reading = readEmail(raw);
    if (!reading.ok) return [violation("other", `${shown} ${reading.problem}`)];
    const deny = rules.denyEmail.find((rule) => emailRuleMatches(rule, reading.value));
    if (deny !== undefined) return [violation("other", denied(shown, "deny-email", deny.text))];
    if (!(rules.email ?? []).some((rule) => emailRuleMatches(rule, reading.value))) {
      const texts = rules.email?.map((rule) => rule.text);
      return [violation("other", notAllowed(shown, texts, "email"))];
    }
    return [];
  };

  const uri = (raw: string, shown: string): Violation[] => {
    const reading = readUri(raw);
    if (!reading.ok) return [violation("other", `${shown} ${reading.problem}`)];
    const deny = rules.denyUri.find((rule) => rule.value === reading.value);
    if (deny !== undefined) return [violation("other", denied(shown, "deny-uri", deny.text))];
    if (!(rules.uri ?? []).some((rule) => rule.value === reading.value)) {
      const texts = rules.uri?.map((rule) => rule.text);
      return [violation("other", notAllowed(shown, texts, "uri"))];
    }
    return [];
  };

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
