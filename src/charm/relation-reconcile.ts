import type { RequestError } from "../interface/request-errors.ts";
import type { Logger, Relation } from "../juju/index.ts";
import { csrIdentity } from "./csr-identity.ts";
import { DatabagBudgetError } from "./databag-budget.ts";
import { answeredCsrs, readPublished, writePublished, type Published } from "./provided.ts";
import { operatorRefusalsOnly, type Refusals } from "./refusals.ts";
import type { RelationState } from "./relation-state.ts";
import { readRelationRequests } from "./requests.ts";
import { overBudgetMessage } from "./status.ts";

/**
 * One relation's pass: drop answers nobody asks for any more, publish the refusals it should
 * carry, and return what it asks and holds. Idempotent by construction.
 */
export function reconcileRelation(
  relation: Relation,
  log: Logger,
  refusals: Refusals = operatorRefusalsOnly,
): RelationState {
  const published = readPublished(relation, log);
  const { requests, complete } = readRelationRequests(relation, log, {
    answered: answeredCsrs(published),
  });
  if (!complete) {
    if (published.certificates.length > 0) {
      log.warning(
        `keeping every certificate on ${relation.label}: a requirer databag is unreadable`,
      );
    }
    if (published.asStored === true) return { requests, published };
    return { requests, published, ...writeWithinBudget(relation, published, log) };
  }
  const requested = new Set(requests.map((request) => request.identity));
  const stillAsked = <T extends { csr: string }>(entries: readonly T[]) =>
    entries.filter((entry) => requested.has(csrIdentity(entry.csr)));
  const certificates = stillAsked(published.certificates);
  const kept: Published = {
    certificates,
    rejections: refusals(requests, { certificates, rejections: stillAsked(published.rejections) }),
  };
  const dropped = published.certificates.length - kept.certificates.length;
  if (dropped > 0) {
    log.info(`removed ${dropped} certificate(s) for requests no longer made on ${relation.label}`);
  }
  const unchanged =
    published.asStored === true &&
    dropped === 0 &&
    sameRefusals(kept.rejections, published.rejections);
  // Serializing thousands of entries only to find the same text costs more than the rest.
  if (unchanged) return { requests, published: kept };
  const refused = writeWithinBudget(relation, kept, log);
  // A refused write leaves the stored data as it was, and that is what the status counts.
  return refused.overBudget === undefined
    ? { requests, published: kept }
    : { requests, published, ...refused };
}

function sameRefusals(a: readonly RequestError[], b: readonly RequestError[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, i) => {
      const other = b[i]!;
      return (
        entry.csr === other.csr &&
        entry.code === other.code &&
        entry.name === other.name &&
        entry.message === other.message &&
        entry.reason === other.reason
      );
    })
  );
}

/**
 * Writes the published data unless that would take the databag past the budget. Then nothing is
 * written (the stored data stays whole, and Juju would refuse the commit anyway near its own
 * limit): the hook succeeds and the status names the relation.
 */
function writeWithinBudget(
  relation: Relation,
  published: Published,
  log: Logger,
): { overBudget?: string } {
  try {
    writePublished(relation, published);
    return {};
  } catch (error) {
    if (!(error instanceof DatabagBudgetError)) throw error;
    log.warning(error.message);
    return { overBudget: overBudgetMessage(relation.label) };
  }
}
