import type { HookContext, Logger, Relation } from "../juju/index.ts";
import type { ProvidedCertificate } from "../interface/provided-certificates.ts";
import { csrIdentity } from "./csr-identity.ts";
import { readProvided, writeProvided } from "./provided.ts";
import { readRelationRequests, type LocatedRequest } from "./requests.ts";
import { NON_LEADER_MESSAGE, NO_RELATION_MESSAGE, outstandingMessage } from "./status.ts";

export const CERTIFICATES_ENDPOINT = "certificates";

/**
 * Every hook: read what requirers ask for and what we published, drop answers nobody asks for
 * any more, and show how many requests wait for the operator. Idempotent by construction.
 */
export function reconcile({ model, log }: HookContext): void {
  if (!model.isLeader()) {
    model.setUnitStatus("active", NON_LEADER_MESSAGE);
    return;
  }
  const relations = model.relations(CERTIFICATES_ENDPOINT);
  if (relations.length === 0) {
    model.setUnitStatus("active", NO_RELATION_MESSAGE);
    return;
  }
  let outstanding = 0;
  for (const relation of relations) {
    outstanding += reconcileRelation(relation, log).length;
  }
  model.setUnitStatus("active", outstandingMessage(outstanding));
}

/** Cleans one relation's list and returns its outstanding requests. */
export function reconcileRelation(relation: Relation, log: Logger): LocatedRequest[] {
  const { requests, complete } = readRelationRequests(relation, log);
  const provided = readProvided(relation, log);
  const requested = new Set(requests.map((request) => request.identity));
  const kept = complete
    ? provided.filter((entry) => requested.has(csrIdentity(entry.csr)))
    : provided;
  if (!complete && kept.length > 0) {
    log.warning(`keeping every certificate on ${relation.label}: a requirer databag is unreadable`);
  }
  for (const entry of provided) {
    if (!kept.includes(entry)) {
      log.info(`removing the certificate for a request no longer made on ${relation.label}`);
    }
  }
  writeProvided(relation, kept);
  return outstandingRequests(requests, kept);
}

/** Requests with no current (non-revoked) certificate, one per CSR. */
export function outstandingRequests(
  requests: readonly LocatedRequest[],
  provided: readonly ProvidedCertificate[],
): LocatedRequest[] {
  const answered = new Set(
    provided.filter((entry) => !entry.revoked).map((entry) => csrIdentity(entry.csr)),
  );
  const seen = new Set<string>();
  return requests.filter((request) => {
    if (answered.has(request.identity) || seen.has(request.identity)) return false;
    seen.add(request.identity);
    return true;
  });
}
