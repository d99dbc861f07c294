// Builders for the policy tests: facts as the x509 readers would give them, and policies from
// YAML text, so each case states only what it is about.
import { evaluateAnswer, evaluateRequest } from "../../src/policy/evaluate.ts";
import { parsePolicy } from "../../src/policy/parse.ts";
import type { Requester, SigningPolicy, Violation } from "../../src/policy/policy.ts";
import type { AltName, CertificateFacts, CsrFacts, KeyFacts } from "../../src/x509/facts.ts";

export const RSA_2048: KeyFacts = { kind: "rsa", size: 2048, description: "RSA 2048" };
export const RSA_3072: KeyFacts = { kind: "rsa", size: 3072, description: "RSA 3072" };
export const EC_256: KeyFacts = { kind: "ec", size: 256, description: "EC P-256" };
export const EC_384: KeyFacts = { kind: "ec", size: 384, description: "EC P-384" };
export const ED25519: KeyFacts = { kind: "ed25519", size: undefined, description: "Ed25519" };

/** "DNS:a.example" → { kind: "dns", value: "a.example" }, as openssl's syntax writes them. */
export function altName(text: string): AltName {
  const colon = text.indexOf(":");
  const [type, value] = [text.slice(0, colon), text.slice(colon + 1)];
  const kind = ({ DNS: "dns", IP: "ip", email: "email", URI: "uri" } as const)[type];
  return kind === undefined ? { kind: "other", value: text } : { kind, value };
}

export interface CsrSpec {
  readonly cn?: string | readonly string[];
  readonly sans?: readonly string[];
  readonly sanExtensions?: number;
  readonly requestsCa?: boolean;
  readonly key?: KeyFacts;
}

export function csr(spec: CsrSpec = {}): CsrFacts {
  const commonNames =
    spec.cn === undefined ? [] : typeof spec.cn === "string" ? [spec.cn] : spec.cn;
  const altNames = (spec.sans ?? []).map(altName);
  return {
    commonNames: [...commonNames],
    subjectAltNameExtensions: spec.sanExtensions ?? (altNames.length > 0 ? 1 : 0),
    altNames,
    requestsCa: spec.requestsCa ?? false,
    key: spec.key ?? EC_256,
  };
}

export interface CertificateSpec extends CsrSpec {
  readonly isCa?: boolean;
  readonly days?: number;
}

export function certificate(spec: CertificateSpec = {}): CertificateFacts {
  const facts = csr(spec);
  const notBefore = new Date("2026-01-01T00:00:00Z");
  const notAfter = new Date(notBefore.getTime() + (spec.days ?? 30) * 86_400_000);
  return { ...facts, isCa: spec.isCa ?? false, notBefore, notAfter };
}

export const policy = (yaml: string): SigningPolicy => parsePolicy(yaml);

export const unit = (name: string): Requester => ({
  application: name.split("/")[0]!,
  unit: name,
});
export const app = (name: string): Requester => ({ application: name, unit: undefined });

/** The messages of a request's violations. */
export function judged(
  rules: SigningPolicy,
  spec: CsrSpec,
  requester: Requester = unit("postgresql/0"),
  isCa = false,
): string[] {
  return evaluateRequest(rules, { requester, isCa, csr: csr(spec) }).map((v) => v.message);
}

export function judgedAnswer(
  rules: SigningPolicy,
  request: CsrSpec,
  issued: CertificateSpec,
  requester: Requester = unit("postgresql/0"),
): Violation[] {
  return evaluateAnswer(rules, { requester, isCa: false, csr: csr(request) }, certificate(issued));
}

/** The example policy. */
export const EXAMPLE = `
enforcement: refuse          # warn | refuse | reject (default: refuse)
applications:
  postgresql:
    dns: ["db.example.com", "*.db.example.com", "{unit}.pg.internal"]
    deny-dns: ["admin.db.example.com"]
    ip: ["10.0.0.0/8", "fd00::/8"]
    wildcard: false            # literal "*." names in a request
    ca: false
    keys: {rsa: 3072, ec: 256, ed25519: true}
    max-validity: 90d
  "*":                         # every application not named; leave it out to allow them nothing
    dns: ["{app}.apps.example.com"]
`;
