import {
  altNameText,
  type AltName,
  type CertificateFacts,
  type CsrFacts,
  type KeyFacts,
  type NameFacts,
} from "../x509/facts.ts";
import { readDnsName } from "./dns-names.ts";
import { durationText } from "./duration.ts";
import { readEmail, readUri } from "./email-uri.ts";
import { isIpAddress, readIp } from "./ip-ranges.ts";
import { nameRules as makeNameRules, ownerOf, type NameRules } from "./name-rules.ts";
import {
  rulesFor,
  type ApplicationRules,
  type Requester,
  type SigningPolicy,
  type Violation,
} from "./policy.ts";

// A request, and a certificate returned for it, held to the policy. Every violation is listed,
// not just the first, each naming the name and the rule, so the operator fixes all at once.

/** A CSR's facts, or why they could not be read: what cannot be read is not allowed. */
export type CsrJudged = CsrFacts | { readonly unreadable: string };

export interface RequestToJudge {
  readonly requester: Requester;
  /** The requirer's databag says `ca: true` (is_ca). */
  readonly isCa: boolean;
  readonly csr: CsrJudged;
}

const other = (message: string): Violation => ({ category: "other", message });

// Rules filled in for one requester serve each of its requests: many per hook.
const filled = new WeakMap<ApplicationRules, Map<string, NameRules>>();

function nameRules(rules: ApplicationRules, requester: Requester): NameRules {
  let byRequester = filled.get(rules);
  if (byRequester === undefined) {
    byRequester = new Map();
    filled.set(rules, byRequester);
  }
  const key = `${requester.application}\n${requester.unit ?? ""}`;
  let found = byRequester.get(key);
  if (found === undefined) {
    found = makeNameRules(rules, requester);
    byRequester.set(key, found);
  }
  return found;
}

function noRules(requester: Requester): Violation {
  return other(
    `${requester.application} has no rules in signing-policy (it is not named and there is ` +
      `no "*" entry): it may be issued nothing`,
  );
}

/** Names of a CSR or certificate: one subjectAltName extension, one CN, each name allowed. */
function judgeNames(facts: NameFacts, names: NameRules, what: string): Violation[] {
  const found: Violation[] = [];
  if (facts.subjectAltNameExtensions > 1) {
    found.push(
      other(
        `${what} has ${facts.subjectAltNameExtensions} subjectAltName extensions; at most one is allowed`,
      ),
    );
  }
  if (facts.commonNames.length > 1) {
    found.push(
      other(`${what} has ${facts.commonNames.length} common names; at most one is allowed`),
    );
  }
  for (const commonName of facts.commonNames) found.push(...names.commonName(commonName));
  for (const altName of facts.altNames) found.push(...names.altName(altName));
  return found;
}

function judgeKey(key: KeyFacts, rules: ApplicationRules, owner: string): Violation[] {
  const allowed = rules.keys;
  if (allowed === undefined) return [];
  const size = key.size ?? 0;
  const ok =
    key.kind === "rsa"
      ? allowed.rsa !== undefined && size >= allowed.rsa
      : key.kind === "ec"
        ? allowed.ec !== undefined && size >= allowed.ec
        : key.kind === "ed25519" && allowed.ed25519;
  return ok
    ? []
    : [other(`key ${key.description} is not allowed for ${owner} (keys: ${allowed.text})`)];
}

/** Every way a request breaks the policy; empty when it may be signed. */
export function evaluateRequest(policy: SigningPolicy, request: RequestToJudge): Violation[] {
  const { requester, csr } = request;
  const rules = rulesFor(policy, requester.application);
  if (rules === undefined) return [noRules(requester)];
  if ("unreadable" in csr) {
    return [other(`the CSR cannot be read to judge it (${csr.unreadable}), so it is not allowed`)];
  }
  const owner = ownerOf(rules, requester);
  const found = judgeNames(csr, nameRules(rules, requester), "the CSR");
  if (!rules.ca && (request.isCa || csr.requestsCa)) {
    const how = request.isCa ? "its databag entry says ca: true" : "basicConstraints CA:TRUE";
    found.push(
      other(`the request asks for a CA certificate (${how}), and ca is not true for ${owner}`),
    );
  }
  found.push(...judgeKey(csr.key, rules, owner));
  return found;
}

/** One name as a comparable key, type and normalised value; a CN is a DNS name or an IP. */
function nameKey(kind: AltName["kind"] | "cn", value: string): string {
  if (kind === "cn") return nameKey(isIpAddress(value) ? "ip" : "dns", value);
  let normalised: string | undefined;
  if (kind === "dns") {
    const reading = readDnsName(value);
    normalised = reading.ok ? reading.name.labels.join(".") : undefined;
  } else if (kind === "ip") {
    const reading = readIp(value);
    normalised = reading.ok ? Buffer.from(reading.bytes).toString("hex") : undefined;
  } else if (kind === "email") {
    const reading = readEmail(value);
    normalised = reading.ok ? reading.value : undefined;
  } else if (kind === "uri") {
    const reading = readUri(value);
    normalised = reading.ok ? reading.value : undefined;
  }
  return `${kind}:${normalised ?? value}`;
}

/** The names of a CSR, as keys; a CN and a SAN of the same name are one name. */
function requestedNames(facts: NameFacts): Set<string> {
  return new Set([
    ...facts.commonNames.filter((name) => name !== "").map((name) => nameKey("cn", name)),
    ...facts.altNames.map((name) => nameKey(name.kind, name.value)),
  ]);
}

/**
 * Every way a certificate breaks the policy on its own: its names must be allowed and, when the
 * CSR it answers is given, be among the CSR's (a CA that adds a name is caught); its CA flag and
 * key must pass; its validity must be within max-validity.
 */
export function evaluateCertificate(
  policy: SigningPolicy,
  requester: Requester,
  certificate: CertificateFacts,
  requested?: CsrFacts,
): Violation[] {
  const rules = rulesFor(policy, requester.application);
  if (rules === undefined) return [noRules(requester)];
  const owner = ownerOf(rules, requester);
  const found = judgeNames(certificate, nameRules(rules, requester), "the certificate");
  if (requested !== undefined) {
    const asked = requestedNames(requested);
    const names = [
      ...certificate.commonNames
        .filter((name) => name !== "")
        .map((name) => ({ key: nameKey("cn", name), text: `CN=${name}` })),
      ...certificate.altNames.map((name) => ({
        key: nameKey(name.kind, name.value),
        text: altNameText(name),
      })),
    ];
    for (const name of names) {
      if (asked.has(name.key)) continue;
      const kind = name.key.slice(0, name.key.indexOf(":"));
      found.push({
        category: kind === "dns" ? "dns" : kind === "ip" ? "ip" : "other",
        message: `${name.text} is in the certificate but the CSR did not ask for it`,
      });
    }
  }
  if (certificate.isCa && !rules.ca) {
    found.push(
      other(`the certificate is a CA certificate (CA:TRUE), and ca is not true for ${owner}`),
    );
  }
  found.push(...judgeKey(certificate.key, rules, owner));
  if (rules.maxValiditySeconds !== undefined) {
    const seconds = Math.ceil(
      (certificate.notAfter.getTime() - certificate.notBefore.getTime()) / 1000,
    );
    if (seconds > rules.maxValiditySeconds) {
      found.push(
        other(
          `the certificate is valid for ${durationText(seconds)}, longer than max-validity ` +
            `${rules.maxValidityText} for ${owner}`,
        ),
      );
    }
  }
  return found;
}

/**
 * A request and the certificate returned for it: the request's violations, then the
 * certificate's, each said once.
 */
export function evaluateAnswer(
  policy: SigningPolicy,
  request: RequestToJudge,
  certificate: CertificateFacts,
): Violation[] {
  const requested = "unreadable" in request.csr ? undefined : request.csr;
  return unique([
    ...evaluateRequest(policy, request),
    ...evaluateCertificate(policy, request.requester, certificate, requested),
  ]);
}

/** The same violation found in the CSR and in its certificate is said once. */
function unique(violations: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((entry) => seen.size < seen.add(entry.message).size);
}
