import { readDnsName, type DnsName } from "./dns-names.ts";
import type { DnsPattern, LabelTemplate, Requester } from "./policy.ts";

// DNS rules match whole labels, never substrings: `db.example.com` only itself, `*.x` exactly
// one label before x, `**.x` one or more. A `*` anywhere else is refused when the rule is read,
// so `*example.com` can never match `evilexample.com` (cert-manager's approver-policy and
// Vault's glob domains match `*` as any substring; step-ca, like us, only whole labels).

export type PatternReading =
  | { readonly ok: true; readonly pattern: DnsPattern }
  | { readonly ok: false; readonly problem: string };

const PLACEHOLDER = /\{(app|unit)\}/g;
const TEMPLATE_LITERAL = /^[a-z0-9_-]*$/;
const WILDCARD_PROBLEM = "a wildcard must be a whole leftmost label";

/** Reads one DNS rule as the operator wrote it. */
export function readDnsPattern(text: string): PatternReading {
  const kind = text.startsWith("**.") ? "many" : text.startsWith("*.") ? "one" : "exact";
  const rest = kind === "many" ? text.slice(3) : kind === "one" ? text.slice(2) : text;
  if (rest.includes("*")) return { ok: false, problem: WILDCARD_PROBLEM };
  if (rest === "") {
    return {
      ok: false,
      problem: kind === "exact" ? "is empty" : "a wildcard needs a domain after it",
    };
  }
  // Placeholders stand for names that are always valid labels; check the rest with them filled.
  const filled = rest.replace(PLACEHOLDER, "x");
  if (/[{}]/.test(filled)) {
    return { ok: false, problem: "the only placeholders are {app} and {unit}, each in braces" };
  }
  const reading = readDnsName(filled);
  if (!reading.ok) {
    return {
      ok: false,
      problem: reading.isIpAddress ? "is an IP address: put it under ip:" : reading.problem,
    };
  }
  const written = rest.split(".");
  const labels: LabelTemplate[] = [];
  for (const [i, label] of written.entries()) {
    if (!label.includes("{")) {
      labels.push([reading.name.labels[i]!]);
      continue;
    }
    const parts: (string | { placeholder: "app" | "unit" })[] = [];
    let at = 0;
    for (const match of label.matchAll(PLACEHOLDER)) {
      parts.push(label.slice(at, match.index).toLowerCase());
      parts.push({ placeholder: match[1] as "app" | "unit" });
      at = match.index + match[0].length;
    }
    parts.push(label.slice(at).toLowerCase());
    if (!parts.every((part) => typeof part !== "string" || TEMPLATE_LITERAL.test(part))) {
      return { ok: false, problem: "a label with a placeholder may hold only a-z, 0-9, - and _" };
    }
    labels.push(parts.filter((part) => part !== ""));
  }
  return { ok: true, pattern: { text, kind, labels } };
}

/** A rule with its placeholders filled for one requester. */
export interface ExpandedPattern {
  readonly kind: DnsPattern["kind"];
  readonly labels: readonly string[];
}

/** The rule for this requester, or undefined when it names `{unit}` and no unit asks (app mode). */
export function expandPattern(
  pattern: DnsPattern,
  requester: Requester,
): ExpandedPattern | undefined {
  const unit = requester.unit?.replace("/", "-");
  const labels: string[] = [];
  for (const template of pattern.labels) {
    let label = "";
    for (const part of template) {
      if (typeof part === "string") label += part;
      else if (part.placeholder === "app") label += requester.application.toLowerCase();
      else if (unit === undefined) return undefined;
      else label += unit.toLowerCase();
    }
    labels.push(label);
  }
  return { kind: pattern.kind, labels };
}

/**
 * Does the rule match the name? With `overlap`, a wildcard name matches when any name it stands
 * for would: how a deny rule catches `*.db.example.com` that covers a denied `admin.db.example.com`.
 */
export function patternMatches(
  pattern: ExpandedPattern,
  name: DnsName,
  overlap: boolean = false,
): boolean {
  const n = name.labels;
  const s = pattern.labels;
  const same = (at: number, label: string): boolean =>
    n[at] === label || (overlap && at === 0 && name.wildcard);
  switch (pattern.kind) {
    case "exact":
      return n.length === s.length && s.every((label, k) => same(k, label));
    case "one":
      return n.length === s.length + 1 && s.every((label, k) => same(k + 1, label));
    case "many":
      return n.length > s.length && s.every((label, k) => same(n.length - s.length + k, label));
  }
}
