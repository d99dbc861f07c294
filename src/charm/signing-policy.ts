import type { Model } from "../juju/index.ts";
import type { SigningPolicy } from "../policy/policy.ts";
import { signingPolicyText } from "./config.ts";
import type { PolicyJudge } from "./policy-judge.ts";

// Whether a signing policy is set, and if so the policy read from it. With the option unset
// nothing here imports the policy code: a hook or action pays for it only when there is one.

export type PolicyState =
  | { readonly kind: "none" }
  | { readonly kind: "invalid"; readonly problem: string }
  | { readonly kind: "valid"; readonly policy: SigningPolicy; readonly judge: PolicyJudge };

export const NO_POLICY: PolicyState = { kind: "none" };

// One dispatch reads the option once; reconcile and the status an action refreshes share it.
const loaded = new Map<string, Promise<PolicyState>>();

/** The policy the config holds; never throws for a bad policy, which is `invalid`. */
export function loadPolicy(model: Model): Promise<PolicyState> {
  const reading = signingPolicyText(model);
  if (!reading.ok) return Promise.resolve({ kind: "invalid", problem: reading.problem });
  if (reading.text === undefined) return Promise.resolve(NO_POLICY);
  let state = loaded.get(reading.text);
  if (state === undefined) {
    state = read(reading.text);
    loaded.set(reading.text, state);
  }
  return state;
}

async function read(text: string): Promise<PolicyState> {
  const [{ parsePolicy, PolicyError }, { createJudge }] = await Promise.all([
    import("../policy/parse.ts"),
    import("./policy-judge.ts"),
  ]);
  try {
    const policy = parsePolicy(text);
    return { kind: "valid", policy, judge: createJudge(policy) };
  } catch (error) {
    if (error instanceof PolicyError) return { kind: "invalid", problem: error.message };
    throw error;
  }
}

/** Why no certificate may be provided while the policy is invalid. */
export function invalidPolicyMessage(problem: string): string {
  return (
    `${problem}. No certificate is provided while the signing policy is invalid; fix it with ` +
    "juju config <app> signing-policy=@policy.yaml, or unset it"
  );
}
