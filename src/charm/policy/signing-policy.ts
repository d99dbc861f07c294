import type { Model } from "../../juju/index.ts";
import type { SigningPolicy } from "../../policy/policy.ts";
import { signingPolicyText } from "../config.ts";
import type { PolicyJudge } from "./judge.ts";

// Whether a signing policy is set, and if so the policy read from it. With the option unset
// nothing here imports the policy code: a hook or action pays for it only when there is one.

export type PolicyState =
  | { readonly kind: "none" }
  | { readonly kind: "invalid"; readonly problem: string }
  | {
      readonly kind: "valid";
      readonly policy: SigningPolicy;
      readonly judge: PolicyJudge;
      /** The SHA-256 of the option's text: what verdicts kept across hooks are keyed by. */
      readonly digest: string;
    };

export const NO_POLICY: PolicyState = { kind: "none" };

// One dispatch reads the option once; reconcile and the status an action refreshes share it.
const loaded = new Map<string, Promise<PolicyState>>();

/** Where a dispatch may keep what it read for the next ones: the unit's charm directory. */
export interface CharmFiles {
  readonly dir: string;
  /**
   * Ignore what earlier dispatches kept: after upgrade-charm, which may change how a policy is
   * read and judged, what was kept is rewritten rather than trusted.
   */
  readonly fresh: boolean;
}

/** The unit's charm directory, fresh on upgrade-charm. */
export const charmFiles = (event: { name: string; charmDir: string }): CharmFiles => ({
  dir: event.charmDir,
  fresh: event.name === "upgrade-charm",
});

/**
 * The policy the config holds; never throws for a bad policy, which is `invalid`. With the
 * charm's files, the YAML read by an earlier dispatch is taken from there (document-cache.ts).
 */
export function loadPolicy(model: Model, files?: CharmFiles): Promise<PolicyState> {
  const reading = signingPolicyText(model);
  if (!reading.ok) return Promise.resolve({ kind: "invalid", problem: reading.problem });
  if (reading.text === undefined) return Promise.resolve(NO_POLICY);
  let state = loaded.get(reading.text);
  if (state === undefined) {
    state = read(reading.text, files);
    loaded.set(reading.text, state);
  }
  return state;
}

async function read(text: string, files: CharmFiles | undefined): Promise<PolicyState> {
  const [{ policyFromDocument }, { PolicyError }, { createJudge }, cache] = await Promise.all([
    import("../../policy/read-policy.ts"),
    import("../../policy/policy-error.ts"),
    import("./judge.ts"),
    import("./document-cache.ts"),
  ]);
  try {
    const cached =
      files === undefined || files.fresh ? undefined : cache.cachedDocument(files.dir, text);
    const document = cached ?? (await import("../../policy/policy-yaml.ts")).readPolicyYaml(text);
    const policy = policyFromDocument(document);
    if (files !== undefined && cached === undefined) {
      cache.rememberDocument(files.dir, text, document);
    }
    return { kind: "valid", policy, judge: createJudge(policy), digest: cache.digestOf(text) };
  } catch (error) {
    if (error instanceof PolicyError) return { kind: "invalid", problem: error.message };
    throw error;
  }
}

/**
 * Names the signing policy a hook judges under, for what is kept between hooks: "none", or the
 * SHA-256 of the option's text (valid or not), so that any change of the text is noticed.
 */
export async function policyBasis(model: Model): Promise<string> {
  const reading = signingPolicyText(model);
  if (!reading.ok) return "invalid option";
  if (reading.text === undefined) return "none";
  return (await import("./document-cache.ts")).digestOf(reading.text);
}

/** Why no certificate may be provided while the policy is invalid. */
export function invalidPolicyMessage(problem: string): string {
  return (
    `${problem}. No certificate is provided while the signing policy is invalid; fix it with ` +
    "juju config <app> signing-policy=@policy.yaml, or unset it"
  );
}
