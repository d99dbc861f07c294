import type { Status } from "../juju/index.ts";
import type { ConfigReading } from "./config.ts";
import { expiryMessage, summarizeExpiry } from "./expiry.ts";
import type { PolicyState } from "./policy/signing-policy.ts";
import {
  NO_RELATION_MESSAGE,
  joinStatus,
  outstandingMessage,
  overBudgetMessage,
  policyRefusedMessage,
} from "./status.ts";
import type { RelationSummary } from "./summary/relation-summary.ts";

/** What besides the relations decides the leader's status: its configuration. */
export interface StatusInputs {
  /** Why the trusted-certificate bundle cannot be published, when it cannot. */
  readonly trustProblem: string | undefined;
  readonly reading: ConfigReading;
  readonly policy: PolicyState;
}

/**
 * The leader's status from each certificates relation's summary, in relation order: a problem of
 * configuration first, then a relation at the size bound, then outstanding requests and expiry.
 * The same summaries give the same status, whether just read or kept from earlier hooks.
 */
export function leaderStatus(
  relations: readonly { readonly label: string; readonly summary: RelationSummary }[],
  { trustProblem, reading, policy }: StatusInputs,
  now: Date,
): Status {
  if (trustProblem !== undefined) return { status: "blocked", message: trustProblem };
  if (!reading.ok) return { status: "blocked", message: reading.problem };
  if (policy.kind === "invalid") return { status: "blocked", message: policy.problem };
  const full = relations.find(({ summary }) => summary.overBudget);
  if (full !== undefined) return { status: "blocked", message: overBudgetMessage(full.label) };
  if (relations.length === 0) return { status: "active", message: NO_RELATION_MESSAGE };
  const total = (field: "outstanding" | "violating" | "refused") =>
    relations.reduce((sum, { summary }) => sum + summary[field], 0);
  const warningDays = reading.config.expiryWarningDays;
  const expiry = summarizeExpiry(
    relations.flatMap(({ summary }) => summary.expiries),
    warningDays,
    now,
  );
  const refused = total("refused");
  const message = joinStatus([
    outstandingMessage(total("outstanding"), total("violating")),
    refused > 0 ? policyRefusedMessage(refused) : undefined,
    warningDays > 0 || expiry.expired.length > 0 ? expiryMessage(expiry, warningDays) : undefined,
  ]);
  return { status: expiry.expired.length > 0 ? "blocked" : "active", message };
}
