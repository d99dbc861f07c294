import { policyFromDocument } from "./read-policy.ts";
import type { SigningPolicy } from "./policy.ts";
import { readPolicyYaml } from "./policy-yaml.ts";

export { PolicyError, pathText } from "./policy-error.ts";

/** Reads the option's text once into a typed policy; throws PolicyError naming the first problem. */
export function parsePolicy(source: string): SigningPolicy {
  return policyFromDocument(readPolicyYaml(source));
}
