import type { Mutant } from "./mutant.ts";

// Defects in the signing policy (src/policy and its wiring in src/charm).

const EVALUATE = "tests/policy/evaluate.test.ts";
const PARSE = "tests/policy/parse.test.ts";
const PROPERTIES = "tests/policy/properties.test.ts";
const WIRING = "tests/policy/wiring.test.ts";
const KEPT = ["tests/policy/verdicts.test.ts", "tests/policy/cache.test.ts"];
const FACTS = "tests/x509/facts.test.ts";
const IP_RANGES = "tests/policy/ip-ranges.test.ts";

export const POLICY_MUTANTS: readonly Mutant[] = [
  // src/policy: the rules
  {
    id: "P01",
    file: "src/policy/name-rules.ts",
    find: "const deny = denyDns.find((rule) => patternMatches(rule.expanded, name, true));",
    replace: "const deny = denyDns.find(() => false);",
    defect: "deny-dns is skipped: a denied name passes when an allow rule covers it",
    tests: [EVALUATE, PROPERTIES],
  },
  {
    id: "P02",
    file: "src/policy/name-rules.ts",
    find: "const deny = denyDns.find((rule) => patternMatches(rule.expanded, name, true));",
    replace: "const deny = denyDns.find((rule) => patternMatches(rule.expanded, name, false));",
    defect: "a wildcard request that covers a denied name (*.db.example.com over admin.db…) passes",
    tests: [EVALUATE],
  },
  {
    id: "P03",
    file: "src/policy/dns-patterns.ts",
    find: "return n.length === s.length + 1 && s.every((label, k) => same(k + 1, label));",
    replace:
      "return n.length > s.length && s.every((label, k) => same(n.length - s.length + k, label));",
    defect: "*.x matches a.b.x (any depth), not just one label",
    tests: [EVALUATE, PROPERTIES],
  },
  {
    id: "P04",
    file: "src/policy/dns-patterns.ts",
    find: "return n.length === s.length + 1 && s.every((label, k) => same(k + 1, label));",
    replace:
      "return n.length >= s.length && s.every((label, k) => same(n.length - s.length + k, label)) && n.length <= s.length + 1;",
    defect: "*.x matches x itself",
    tests: [EVALUATE, PROPERTIES],
  },
  {
    id: "P05",
    file: "src/policy/dns-patterns.ts",
    find: "return n.length > s.length && s.every((label, k) => same(n.length - s.length + k, label));",
    replace:
      "return n.length >= s.length && s.every((label, k) => same(n.length - s.length + k, label));",
    defect: "**.x matches x itself",
    tests: [EVALUATE, PROPERTIES],
  },
  {
    id: "P06",
    file: "src/policy/dns-patterns.ts",
    find: "return n.length === s.length && s.every((label, k) => same(k, label));",
    replace: 'return n.join(".").endsWith(s.join("."));',
    defect: "an exact rule is a substring (suffix) match: example.com allows evilexample.com",
    tests: [EVALUATE],
  },
  {
    id: "P07",
    file: "src/policy/dns-patterns.ts",
    find: 'if (rest.includes("*")) return { ok: false, problem: WILDCARD_PROBLEM };',
    replace: "",
    defect: "a partial-label wildcard rule (f*o.example.com, *example.com) is accepted",
    tests: [PARSE],
  },
  {
    id: "P08",
    file: "src/policy/email-uri.ts",
    find: "return { ok: true, value: `${text.slice(0, at).toLowerCase()}@${domain.value}` };",
    replace: "return { ok: true, value: `${text.slice(0, at)}@${domain.value}` };",
    defect: "email case is not normalised: ROOT@example.com slips past deny-email root@example.com",
    tests: [EVALUATE],
  },
  {
    id: "P09",
    file: "src/policy/dns-names.ts",
    find: ": domainToASCII(rest);",
    replace: ": rest;",
    defect: "IDNA is skipped: a Unicode rule or name is not the ASCII name a client sees",
    tests: [EVALUATE, PARSE],
  },
  {
    id: "P10",
    file: "src/policy/evaluate.ts",
    find: "if (asked.has(name.key)) continue;",
    replace: "continue;",
    defect: "the CSR-names subset check is skipped: a CA that adds a name is not caught",
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P11",
    file: "src/policy/evaluate.ts",
    find: "if (seconds > rules.maxValiditySeconds) {",
    replace: "if (false) {",
    defect: "max-validity is not checked",
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P12",
    file: "src/policy/evaluate.ts",
    find: "if (!rules.ca && (request.isCa || csr.requestsCa)) {",
    replace: "if (false) {",
    defect: "the CA check of a request is skipped under ca: false",
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P13",
    file: "src/policy/evaluate.ts",
    find: "if (certificate.isCa && !rules.ca) {",
    replace: "if (false) {",
    defect: "a CA certificate returned under ca: false is not caught",
    tests: [EVALUATE],
  },
  {
    id: "P14",
    file: "src/policy/evaluate.ts",
    find: 'if (rules === undefined) return [noRules(requester)];\n  if ("unreadable" in csr) {',
    replace: 'if (rules === undefined) return [];\n  if ("unreadable" in csr) {',
    defect: 'an application with no rules (and no "*") may be issued anything',
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P15",
    file: "src/policy/evaluate.ts",
    find: "if (facts.subjectAltNameExtensions > 1) {",
    replace: "if (false) {",
    defect: "a second subjectAltName extension is let through (only the first one may be judged)",
    tests: [EVALUATE],
  },
  {
    id: "P16",
    file: "src/policy/evaluate.ts",
    find: "for (const commonName of facts.commonNames) found.push(...names.commonName(commonName));",
    replace: "",
    defect: "the subject CN is not judged",
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P17",
    file: "src/policy/name-rules.ts",
    find: "if (name.wildcard && !rules.wildcard) {",
    replace: "if (false) {",
    defect: "a literal wildcard name passes without wildcard: true",
    tests: [EVALUATE, WIRING],
  },
  {
    id: "P18",
    file: "src/policy/name-rules.ts",
    find: "const deny = lists.deny.find((rule) => matches(rule, reading.value));",
    replace: "const deny = lists.deny.find(() => false);",
    defect: "deny-ip, deny-email and deny-uri are skipped",
    tests: [EVALUATE],
  },
  {
    id: "P19",
    file: "src/policy/ip-ranges.ts",
    find: "return { ok: true, bytes: isMapped(bytes) ? bytes.subarray(12) : bytes };",
    replace: "return { ok: true, bytes };",
    defect:
      "an IPv4-mapped IPv6 address escapes the IPv4 rules (deny-ip 10.0.0.0/8 misses ::ffff:10.1.2.3)",
    tests: [EVALUATE],
  },
  {
    id: "P20",
    file: "src/policy/ip-ranges.ts",
    find: "for (let i = 0; i * 8 < range.prefix; i++) {",
    replace: "for (let i = 0; i * 8 < range.prefix - 8; i++) {",
    defect: "a CIDR range compares one byte too few: 10.0.0.0/8 allows 11.0.0.1",
    tests: [EVALUATE],
  },
  {
    id: "P38",
    file: "src/policy/ip-ranges.ts",
    find: "const mask = (0xff << (8 - kept)) & 0xff;",
    replace: "const mask = 0xff >> (8 - kept);",
    defect:
      "a prefix ending inside a byte compares that byte's low bits: ip 10.16.0.0/12 allows 10.0.0.1 and deny-ip 10.16.0.0/12 misses 10.17.0.1",
    tests: [IP_RANGES],
  },
  {
    id: "P21",
    file: "src/policy/dns-patterns.ts",
    find: "else if (unit === undefined) return undefined;",
    replace: 'else if (unit === undefined) label += "";',
    defect: "in app mode a {unit} pattern matches a name (with the unit left empty)",
    tests: [EVALUATE],
  },
  {
    id: "P22",
    file: "src/policy/name-rules.ts",
    find: 'case "other":\n          return [',
    replace: 'case "other":\n          return [];\n          return [',
    defect: "otherName, directoryName and other SAN types are allowed",
    tests: [EVALUATE],
  },
  // src/x509: what the policy is judged on
  {
    id: "P23",
    file: "src/x509/csr-facts.ts",
    find: 'if (seen || more.length > 0) throw new DerError("more than one extensionRequest");',
    replace: "",
    defect: "a CSR with two extension requests is read as the last one, not refused (fail open)",
    tests: [FACTS],
  },
  {
    id: "P24",
    file: "src/x509/name-facts.ts",
    find: "if (isOid(der, type, OID_COMMON_NAME)) values.push(directoryString(der, value));",
    replace:
      "if (isOid(der, type, OID_COMMON_NAME) && values.length === 0) values.push(directoryString(der, value));",
    defect: "only the first CN of a subject is read: a second CN smuggles a name past the policy",
    tests: [FACTS],
  },
  {
    id: "P39",
    file: "src/x509/key-facts.ts",
    find: "(parameters?.tag === TAG.sequence ? curveOfExplicitParameters(spki) : undefined)",
    replace: "undefined",
    defect:
      "an EC key written with explicit parameters is not its curve to keys: a CA's re-encoded P-384 certificate is refused",
    tests: [FACTS, "tests/robustness/batch-answers.test.ts"],
  },
  {
    id: "P40",
    file: "src/x509/key-facts.ts",
    find: "return CURVES.find((known) => known.openssl === key.asymmetricKeyDetails?.namedCurve);",
    replace:
      'return CURVES.find((known) => known.openssl === key.asymmetricKeyDetails?.namedCurve) ?? (key.asymmetricKeyDetails?.namedCurve === "UNDEF" ? CURVES[0] : undefined);',
    defect:
      "explicit parameters OpenSSL cannot name (the curve's equation with another generator) are read as P-256",
    tests: [FACTS],
  },
  // src/charm: the wiring
  {
    id: "P25",
    file: "src/charm/policy-refusals.ts",
    find: "if (!isPolicyRefusal(entry)) {\n      kept.push(entry);\n      continue;\n    }",
    replace: "if (!isPolicyRefusal(entry)) {\n      continue;\n    }",
    defect: "the policy's hooks remove the operator's own rejections",
    tests: [WIRING],
  },
  {
    id: "P26",
    file: "src/charm/reconcile.ts",
    find: "published.rejections.filter((entry) => entry.reason !== POLICY_REASON);",
    replace: "[];",
    defect:
      "with no policy (or one that does not reject) hooks withdraw the operator's rejections too",
    tests: [WIRING],
  },
  {
    id: "P27",
    file: "src/charm/reconcile.ts",
    find: 'if (policy.kind === "invalid") return { refusals: keepRefusals, done: nothing };',
    replace:
      'if (policy.kind === "invalid") return { refusals: operatorRefusalsOnly, done: nothing };',
    defect: "an invalid policy withdraws the refusals already published",
    tests: [WIRING],
  },
  {
    id: "P28",
    file: "src/charm/actions/policy-check.ts",
    find: 'if (policy.policy.enforcement === "warn") return { warnings: messages };',
    replace: "",
    defect: "warn refuses",
    tests: [WIRING],
  },
  {
    id: "P29",
    file: "src/charm/actions/policy-check.ts",
    find: 'if (policy.policy.enforcement === "warn") return { warnings: messages };',
    replace: 'if (policy.policy.enforcement !== "reject") return { warnings: messages };',
    defect: "refuse warns (provides a violating certificate)",
    tests: [WIRING],
  },
  {
    id: "P30",
    file: "src/charm/signing-policy.ts",
    find: 'if (error instanceof PolicyError) return { kind: "invalid", problem: error.message };',
    replace: "if (error instanceof PolicyError) return NO_POLICY;",
    defect: "an invalid policy allows everything (as if none were set)",
    tests: [WIRING],
  },
  {
    id: "P31",
    file: "src/charm/actions/policy-check.ts",
    find: 'if (policy.kind === "invalid") throw new ActionFailure(invalidPolicyMessage(policy.problem));',
    replace: "",
    defect: "the provide actions provide while the policy is invalid",
    tests: [WIRING],
  },
  {
    id: "P32",
    file: "src/charm/policy-refusals.ts",
    find: "categories.size === 1 && only !== undefined ? CODES[only] : OTHER_ERROR;",
    replace: "only !== undefined ? CODES[only] : OTHER_ERROR;",
    defect:
      "a refusal for mixed violations takes the first one's code (an IP and a DNS name read as domain_not_allowed)",
    tests: [WIRING],
  },
  {
    id: "P33",
    file: "src/charm/reconcile.ts",
    find: 'policy.kind === "none" || policy.policy.enforcement !== "reject"',
    replace: 'policy.kind === "none"',
    defect: "refuse and warn publish request_errors as reject does",
    tests: [WIRING],
  },
  {
    id: "P34",
    file: "src/charm/policy-verdicts.ts",
    find: "stored.policy !== policy ||",
    replace: "",
    defect: "verdicts kept under another policy are trusted after the policy changed",
    tests: KEPT,
  },
  {
    id: "P35",
    file: "src/charm/policy-cache.ts",
    find: "return entry.digest === digestOf(text) ? entry.document : undefined;",
    replace: "return entry.document;",
    defect: "the kept policy document is used although the policy text changed",
    tests: KEPT,
  },
  {
    id: "P36",
    file: "src/charm/policy-verdicts.ts",
    find: "files.fresh ? new Map<string, Stored>() : read(path, policy)",
    replace: "read(path, policy)",
    defect: "verdicts kept before upgrade-charm are trusted after it",
    tests: KEPT,
  },
  {
    id: "P37",
    file: "src/charm/policy-verdicts.ts",
    find: '${request.isCa ? "ca" : "leaf"}',
    replace: "",
    defect: "a kept verdict outlives the requirer changing is_ca for the same CSR",
    tests: KEPT,
  },
];
