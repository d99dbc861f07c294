import { ActionFailure } from "../../juju/index.ts";
import type { LocatedRequest } from "../requests.ts";
import { invalidPolicyMessage, type PolicyState } from "../policy/signing-policy.ts";

// The signing policy's say on a certificate about to be provided: under warn it is provided and
// the violations come back as warnings; under refuse and reject it is refused, every violation
// listed.

export type PolicyVerdict =
  | { readonly refused: string }
  | { readonly refused?: undefined; readonly warnings: readonly string[] };

/** Fails the whole action while the policy is invalid: no certificate is judged by a guess. */
export function requireUsablePolicy(policy: PolicyState): void {
  if (policy.kind === "invalid") throw new ActionFailure(invalidPolicyMessage(policy.problem));
}

export function judgeCertificate(
  policy: PolicyState,
  request: LocatedRequest,
  certificateDer: Buffer,
): PolicyVerdict {
  if (policy.kind !== "valid") return { warnings: [] };
  const messages = policy.judge.answer(request, certificateDer).map((v) => v.message);
  if (messages.length === 0) return { warnings: [] };
  if (policy.policy.enforcement === "warn") return { warnings: messages };
  const holder = request.unitName ?? `application ${request.applicationName}`;
  const noun = messages.length === 1 ? "violation" : "violations";
  return {
    refused:
      `the signing policy refuses this certificate for ${holder} ` +
      `(${messages.length} ${noun}): ${messages.join("; ")}`,
  };
}
