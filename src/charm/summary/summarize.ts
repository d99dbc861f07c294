import { POLICY_REASON } from "../../interface/request-errors.ts";
import { certificateValidity } from "../../x509/validity.ts";
import { issuedTo, outstandingRequests, type RelationState } from "../relation-state.ts";
import type { LocatedRequest } from "../requests.ts";
import type { RelationSummary } from "./relation-summary.ts";

/** Whether an outstanding request breaks the signing policy; absent when nothing is judged. */
export type BreaksPolicy = (request: LocatedRequest) => boolean;

/** The summary of a relation as read or as reconciled. Pure: the same state, the same summary. */
export function summarizeRelation(
  state: RelationState,
  breaksPolicy?: BreaksPolicy,
): RelationSummary {
  const outstanding = outstandingRequests(state);
  const expiries: [number, string][] = [];
  for (const { certificate, holder } of issuedTo(state)) {
    if (certificate.revoked) continue;
    let notAfter: Date;
    try {
      notAfter = certificateValidity(certificate.certificate).notAfter;
    } catch {
      // An unreadable certificate has no date to warn about; the provide actions never publish one.
      continue;
    }
    expiries.push([Math.floor(notAfter.getTime() / 1000), holder]);
  }
  expiries.sort(
    ([a, holderA], [b, holderB]) => a - b || (holderA < holderB ? -1 : holderA > holderB ? 1 : 0),
  );
  return {
    outstanding: outstanding.length,
    violating: breaksPolicy === undefined ? 0 : outstanding.filter(breaksPolicy).length,
    refused: state.published.rejections.filter((entry) => entry.reason === POLICY_REASON).length,
    overBudget: state.overBudget !== undefined,
    expiries,
  };
}
