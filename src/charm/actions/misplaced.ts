import type { KeyObject } from "node:crypto";
import { ActionFailure } from "../../juju/index.ts";
import { certificateLabel, type ParsedCertificate } from "../../x509/certificate.ts";
import { samePublicKey } from "../../x509/keys.ts";
import { CertificateValidationError } from "../../x509/validation.ts";
import type { RequestsByKey } from "./requests-by-key.ts";

// A certificate in the wrong parameter: the CA's where the certificate belongs, the other way
// round, or the CA inside a batch of leaves. Said as such, since the checks that would catch
// it otherwise speak of keys and chains ("issued for another request"), not of the mix-up.

interface Keyed {
  readonly subjectPublicKeyInfo: Buffer;
  readonly publicKey: KeyObject;
}

const sameKey = (a: Keyed, b: Keyed): boolean =>
  a.subjectPublicKeyInfo.equals(b.subjectPublicKeyInfo) || samePublicKey(a.publicKey, b.publicKey);

/**
 * provide-certificate's inputs in each other's place, for this CSR; throws a
 * CertificateValidationError saying so. Silent when they are where they belong.
 */
export function checkPlaces(
  csr: Keyed,
  certificate: ParsedCertificate,
  caCertificate: ParsedCertificate,
  requestIsCa: boolean,
): void {
  const certificateFits = sameKey(certificate, csr);
  if (!certificateFits && sameKey(caCertificate, csr)) {
    const what = certificate.isCa ? "is a CA certificate" : "does not hold this CSR's public key";
    throw new CertificateValidationError(
      "certificate",
      `${what} (${certificateLabel(certificate)}) and ca-certificate ` +
        `(${certificateLabel(caCertificate)}) holds this CSR's public key: the two are swapped; ` +
        "give the certificate signed for the CSR as certificate and the CA's as ca-certificate",
    );
  }
  if (!certificateFits && certificate.isCa && !requestIsCa) {
    throw new CertificateValidationError(
      "certificate",
      `is a CA certificate (${certificateLabel(certificate)}), not the one signed for this CSR; ` +
        "give the certificate your CA signed for the CSR as certificate and the CA's own as " +
        "ca-certificate",
    );
  }
  // A self-signed certificate given as both is caught as self-signed, which says more.
  const selfIssued = caCertificate.subject === caCertificate.issuer;
  if (certificateFits && !selfIssued && sameKey(caCertificate, csr)) {
    throw new CertificateValidationError(
      "ca-certificate",
      `is the certificate signed for this CSR (${certificateLabel(caCertificate)}), not the ` +
        "CA's; give the certificate of the CA that signed it as ca-certificate",
    );
  }
}

/** provide-certificates' ca-certificate, when it is a requirer's certificate: the run fails. */
export function checkBatchCa(ca: ParsedCertificate, byKey: RequestsByKey): void {
  if (ca.isCa) return;
  const [holder] = byKey(ca.subjectPublicKeyInfo);
  if (holder === undefined) return;
  const who = holder.request.unitName ?? `application ${holder.request.applicationName}`;
  throw new ActionFailure(
    `ca-certificate: is the certificate signed for a request of ${who} ` +
      `(${certificateLabel(ca)}), not the CA's; put it in certificates and give the ` +
      "certificate of the CA that signed them as ca-certificate",
  );
}

/** Why a certificate of a batch that matches no request is there, when it is a CA's. */
export function unmatchedCaReason(
  certificate: ParsedCertificate,
  caCertificate: ParsedCertificate,
  chain: readonly ParsedCertificate[],
): string | undefined {
  if (certificate.der.equals(caCertificate.der)) {
    return "is the CA certificate given as ca-certificate: leave it out of certificates";
  }
  if (chain.some((link) => link.der.equals(certificate.der))) {
    return "is a certificate of ca-chain: leave the chain out of certificates";
  }
  if (!certificate.isCa) return undefined;
  return (
    `is a CA certificate (${certificateLabel(certificate)}), and no request has its public ` +
    "key: a CA's certificate goes in ca-certificate, an intermediate's in ca-chain"
  );
}
