import { remembered } from "../x509/remembered.ts";

/**
 * Two CSR texts name the same request when their DER is the same. Requirers of v1-v3 match on
 * the exact string, so we always echo theirs; this key only finds which request an operator's
 * copy (re-wrapped, CRLF, trailing newline) stands for.
 */
export const csrIdentity: (text: string) => string = remembered(20_000, computeIdentity);

function computeIdentity(text: string): string {
  const begin = text.indexOf("-----BEGIN");
  const bodyStart = begin === -1 ? 0 : text.indexOf("-----", begin + 10) + 5;
  const end = text.indexOf("-----END", bodyStart);
  const body = end === -1 ? text.slice(bodyStart) : text.slice(bodyStart, end);
  return body.replace(/\s+/g, "");
}
