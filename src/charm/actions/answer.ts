import type { ProvidedCertificate } from "../../interface/provided-certificates.ts";
import type { ParsedCertificate } from "../../x509/certificate.ts";
import type { ParsedCsr } from "../../x509/csr.ts";
import { validateProvidedCertificate } from "../../x509/validation.ts";
import { csrIdentity } from "../csr-identity.ts";
import type { Published } from "../provided.ts";
import type { LocatedRequest } from "../requests.ts";
import { checkPlaces } from "./misplaced.ts";

/** The CA side of an answer: the same for every certificate of one action run. */
export interface Issuer {
  readonly caCertificate: ParsedCertificate;
  /** The operator's chain, in the order given; undefined when none was given. */
  readonly chain?: readonly ParsedCertificate[] | undefined;
  readonly now: Date;
}

/**
 * Every check a certificate must pass before it answers a request: each certificate in its own
 * parameter, the CSR's own signature, same key, CA flag as requested, a chain of verified signatures up to the CA, every
 * certificate valid now. provide-certificate and provide-certificates both answer through
 * this, so neither can skip a check. Throws CertificateValidationError naming the input.
 */
export function checkAnswer(
  request: LocatedRequest,
  csr: ParsedCsr,
  certificate: ParsedCertificate,
  issuer: Issuer,
): ProvidedCertificate {
  checkPlaces(csr, certificate, issuer.caCertificate, request.isCa);
  const validated = validateProvidedCertificate({
    csr,
    certificate,
    caCertificate: issuer.caCertificate,
    chain: issuer.chain,
    requestIsCa: request.isCa,
    now: issuer.now,
  });
  return {
    // The requirer's own text: v1-v3 libraries match on the exact string.
    csr: request.csr,
    certificate: certificate.pem,
    ca: issuer.caCertificate.pem,
    chain: validated.chain,
    revoked: false,
  };
}

/**
 * The published lists with these answers in place of any earlier answer or refusal for the
 * same CSRs: a new certificate for an answered request replaces the old one.
 */
export function withAnswers(
  published: Published,
  answers: readonly ProvidedCertificate[],
): Published {
  const answered = new Set(answers.map((entry) => csrIdentity(entry.csr)));
  const open = <T extends { csr: string }>(entries: readonly T[]): T[] =>
    entries.filter((entry) => !answered.has(csrIdentity(entry.csr)));
  return {
    certificates: [...open(published.certificates), ...answers],
    rejections: open(published.rejections),
  };
}
