import { evaluateAnswer, evaluateCertificate, evaluateRequest } from "../../policy/evaluate.ts";
import type { Requester, SigningPolicy, Violation } from "../../policy/policy.ts";
import { certificateFactsOf } from "../../x509/certificate-facts.ts";
import { readCsrFacts } from "../../x509/csr-facts.ts";
import { DerError } from "../../x509/der.ts";
import type { CertificateFacts } from "../../x509/facts.ts";
import type { LocatedRequest } from "../requests.ts";

// The signing policy applied to what the charm holds: requests as located in the databags and
// certificates as DER. Loaded only when a policy is set.

export interface PolicyJudge {
  /** The request's violations; empty when it may be signed. */
  request(request: LocatedRequest): readonly Violation[];
  /** The request's and the certificate's violations, for a certificate answering it. */
  answer(request: LocatedRequest, certificateDer: Buffer): readonly Violation[];
  /** An issued certificate against today's policy; `request` when its CSR is still asked. */
  issued(
    certificateDer: Buffer,
    requester: Requester,
    request: LocatedRequest | undefined,
  ): readonly Violation[];
}

const requesterOf = (request: LocatedRequest): Requester => ({
  application: request.applicationName,
  unit: request.unitName,
});

function toJudge(request: LocatedRequest) {
  const reading = readCsrFacts(request.csr);
  return {
    requester: requesterOf(request),
    isCa: request.isCa,
    csr: reading.ok ? reading.facts : { unreadable: reading.reason },
  };
}

type CertificateReading = CertificateFacts | Violation;

function readCertificate(der: Buffer): CertificateReading {
  try {
    return certificateFactsOf(der);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    return {
      category: "other",
      message: `the certificate cannot be read to judge it (${error.message}), so it is not allowed`,
    };
  }
}

export function createJudge(policy: SigningPolicy): PolicyJudge {
  // A dispatch reads each databag once, so the same request is the same object: reconcile and
  // then a listing or the status judge it once.
  const judged = new WeakMap<LocatedRequest, readonly Violation[]>();
  return {
    request(request) {
      let found = judged.get(request);
      if (found === undefined) {
        found = evaluateRequest(policy, toJudge(request));
        judged.set(request, found);
      }
      return found;
    },
    answer(request, certificateDer) {
      const certificate = readCertificate(certificateDer);
      if ("message" in certificate)
        return [...evaluateRequest(policy, toJudge(request)), certificate];
      return evaluateAnswer(policy, toJudge(request), certificate);
    },
    issued(certificateDer, requester, request) {
      const certificate = readCertificate(certificateDer);
      if ("message" in certificate) return [certificate];
      if (request !== undefined) return evaluateAnswer(policy, toJudge(request), certificate);
      return evaluateCertificate(policy, requester, certificate);
    },
  };
}
