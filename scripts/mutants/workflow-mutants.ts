import type { Mutant } from "./mutant.ts";

// Defects in batches, renewals, request details, subjects and SANs, the databag bound, juju-log, stack traces and tracing.
export const WORKFLOW_MUTANTS: readonly Mutant[] = [];
