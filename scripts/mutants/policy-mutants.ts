import type { Mutant } from "./mutant.ts";

// Defects in the signing policy (src/policy and its wiring in src/charm).
export const POLICY_MUTANTS: readonly Mutant[] = [];
