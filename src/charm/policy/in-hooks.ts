import type { LocatedRequest } from "../requests.ts";
import { keepRefusals, operatorRefusalsOnly, type Refusals } from "../refusals.ts";
import type { CharmFiles, PolicyState } from "./signing-policy.ts";
import type { BreaksPolicy } from "../summary/summarize.ts";

/** How a hook applies the signing policy to the requests it reads. */
export interface PolicyInHooks {
  /** The refusals each relation it reconciles should carry. */
  readonly refusals: Refusals;
  /** Under warn or refuse: whether an outstanding request breaks the policy, for the status. */
  readonly breaksPolicy: BreaksPolicy | undefined;
  /** Keeps the verdicts judged in this hook for the next ones. */
  readonly done: () => void;
}

const nothing = (): void => undefined;

/**
 * Whether the status counts the outstanding requests that break the policy: under warn and
 * refuse they stay outstanding; under reject they are refused and counted as refusals.
 */
export const countsRequestsAgainstPolicy = (
  policy: PolicyState,
): policy is Extract<PolicyState, { kind: "valid" }> =>
  policy.kind === "valid" && policy.policy.enforcement !== "reject";

/**
 * With no policy or an invalid one, no request is judged. Otherwise each request is judged once
 * under the policy's text, and the verdict kept in the charm directory (verdicts.ts): a
 * hook of one relation judges only that relation's new requests. `everyRelation` says the hook
 * looks at every relation, so verdicts of requests no longer asked can go.
 */
export async function policyInHooks(
  policy: PolicyState,
  files: CharmFiles,
  everyRelation: boolean,
): Promise<PolicyInHooks> {
  if (policy.kind === "invalid") {
    return { refusals: keepRefusals, breaksPolicy: undefined, done: nothing };
  }
  if (policy.kind === "none") {
    return { refusals: operatorRefusalsOnly, breaksPolicy: undefined, done: nothing };
  }
  const { openVerdicts } = await import("./verdicts.ts");
  const verdicts = openVerdicts(files, policy.digest, everyRelation);
  const violations = (request: LocatedRequest) => verdicts.judge(request, policy.judge.request);
  const done = () => verdicts.save();
  if (countsRequestsAgainstPolicy(policy)) {
    return {
      refusals: operatorRefusalsOnly,
      breaksPolicy: (request) => violations(request).length > 0,
      done,
    };
  }
  const { refusalsUnderPolicy } = await import("./refusals.ts");
  return {
    refusals: (requests, published) => refusalsUnderPolicy(violations, requests, published),
    breaksPolicy: undefined,
    done,
  };
}
