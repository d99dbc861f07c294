import { ActionFailure } from "../../juju/index.ts";
import { ActionInputError, readActionCsr } from "../../x509/action-input.ts";
import { csrIdentity } from "../csr-identity.ts";

/** The identity of the CSR an operator passed (base64 or PEM), or a failure naming the input. */
export function csrParamIdentity(value: string): string {
  try {
    return csrIdentity(readActionCsr("certificate-signing-request", value).pem);
  } catch (error) {
    if (error instanceof ActionInputError) throw new ActionFailure(error.message);
    throw error;
  }
}
