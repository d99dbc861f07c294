import { ActionFailure } from "../../juju/index.ts";
import {
  ActionInputError,
  readActionCertificate,
  readActionCertificates,
} from "../../x509/action-input.ts";
import {
  CertificateError,
  parseCertificate,
  type ParsedCertificate,
} from "../../x509/certificate.ts";
import { CsrError } from "../../x509/csr.ts";
import { PemError } from "../../x509/pem.ts";
import { CertificateValidationError } from "../../x509/validation.ts";

/** One certificate parameter (base64 or PEM), parsed, or a failure naming the parameter. */
export function parseCertificateParam(
  param: "certificate" | "ca-certificate" | "issuer",
  value: string,
): ParsedCertificate {
  return failing(() => parseCertificate(readActionCertificate(param, value).pem, param));
}

/** The ca-chain parameter, each certificate parsed, in the order given. */
export function parseChainParam(value: string): ParsedCertificate[] {
  return failing(() =>
    readActionCertificates("ca-chain", value).map((block) =>
      parseCertificate(block.pem, "ca-chain"),
    ),
  );
}

const OPERATOR_INPUT_ERRORS = [
  ActionInputError,
  PemError,
  CsrError,
  CertificateError,
  CertificateValidationError,
];

/** X.509 errors carry messages written for the operator; they become the action's failure. */
export function failing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (OPERATOR_INPUT_ERRORS.some((type) => error instanceof type)) {
      throw new ActionFailure((error as Error).message);
    }
    throw error;
  }
}
