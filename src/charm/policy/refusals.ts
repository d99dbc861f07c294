import type { Violation, ViolationCategory } from "../../policy/policy.ts";
import {
  DOMAIN_NOT_ALLOWED,
  IP_NOT_ALLOWED,
  OTHER_ERROR,
  POLICY_REASON,
  WILDCARD_NOT_ALLOWED,
  type RequestError,
} from "../../interface/request-errors.ts";
import { csrIdentity } from "../csr-identity.ts";
import type { Published } from "../provided.ts";
import type { LocatedRequest } from "../requests.ts";

// enforcement: reject. The leader's hooks refuse each open request that breaks the policy in
// `request_errors`, where charmlibs requirers (1.3+) read why, and withdraw a refusal once the
// request passes. Only entries marked with POLICY_REASON are the policy's to change; the
// operator's own refusals (reject-certificate-request) are kept as they are.

const CODES: Readonly<Record<ViolationCategory, { code: number; name: string }>> = {
  dns: DOMAIN_NOT_ALLOWED,
  ip: IP_NOT_ALLOWED,
  wildcard: WILDCARD_NOT_ALLOWED,
  other: OTHER_ERROR,
};

/** The bound of one refusal's message: requirers log it and charms show it in a status. */
export const MAX_REFUSAL_MESSAGE = 1024;

/** One refusal naming every violation that fits; the code is their category's when they share one. */
export function refusalOf(csr: string, violations: readonly Violation[]): RequestError {
  const categories = new Set(violations.map((violation) => violation.category));
  const [only] = categories;
  const { code, name } = categories.size === 1 && only !== undefined ? CODES[only] : OTHER_ERROR;
  let message = "refused by the signing policy: ";
  let listed = 0;
  for (const violation of violations) {
    const rest = violations.length - listed - 1;
    const more = rest > 0 ? `; and ${rest} more` : "";
    const next = `${listed > 0 ? "; " : ""}${violation.message}`;
    if (message.length + next.length + more.length > MAX_REFUSAL_MESSAGE && listed > 0) break;
    message += next;
    listed++;
  }
  if (listed < violations.length) message += `; and ${violations.length - listed} more`;
  return { csr, code, name, message: message.slice(0, MAX_REFUSAL_MESSAGE), reason: POLICY_REASON };
}

export const isPolicyRefusal = (entry: RequestError): boolean => entry.reason === POLICY_REASON;

/**
 * The refusals a relation should carry: the operator's as they are, and the policy's for each
 * request with no certificate (a revoked one included: its entry must stay for requirers to
 * see the revocation) and no refusal of the operator's. Entries keep their places, so a
 * settled relation compares equal and is not written again.
 */
export function refusalsUnderPolicy(
  judge: (request: LocatedRequest) => readonly Violation[],
  requests: readonly LocatedRequest[],
  published: Published,
): RequestError[] {
  const answered = new Set(published.certificates.map((entry) => csrIdentity(entry.csr)));
  const byOperator = new Set(
    published.rejections.filter((entry) => !isPolicyRefusal(entry)).map((e) => csrIdentity(e.csr)),
  );
  const wanted = new Map<string, RequestError>();
  for (const request of requests) {
    const identity = request.identity;
    if (wanted.has(identity) || answered.has(identity) || byOperator.has(identity)) continue;
    const violations = judge(request);
    if (violations.length > 0) wanted.set(identity, refusalOf(request.csr, violations));
  }
  const kept: RequestError[] = [];
  for (const entry of published.rejections) {
    if (!isPolicyRefusal(entry)) {
      kept.push(entry);
      continue;
    }
    const identity = csrIdentity(entry.csr);
    const refusal = wanted.get(identity);
    if (refusal === undefined) continue;
    kept.push(refusal);
    wanted.delete(identity);
  }
  return [...kept, ...wanted.values()];
}
