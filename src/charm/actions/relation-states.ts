import type { Logger, Model, Relation } from "../../juju/index.ts";
import { readConfig } from "../config.ts";
import { answeredCsrs, readPublished } from "../provided.ts";
import { CERTIFICATES_ENDPOINT } from "../endpoints.ts";
import { showStatus, type RelationState } from "../reconcile.ts";
import { readRelationRequests } from "../requests.ts";
import { loadPolicy } from "../signing-policy.ts";

/** What a relation asks and what we published on it, read without writing anything. */
export function readRelationState(relation: Relation, log: Logger): RelationState {
  const published = readPublished(relation, log);
  const answered = answeredCsrs(published);
  return { requests: readRelationRequests(relation, log, { answered }).requests, published };
}

/**
 * Shows the status as it stands after this action's writes. Juju fires no hook for our own
 * writes, so without this the status would lag until the next update-status. Reads already made
 * by the action are cached, so this costs little when the action looked at every relation.
 */
export async function refreshStatus(model: Model, log: Logger): Promise<void> {
  const states = model
    .relations(CERTIFICATES_ENDPOINT)
    .map((relation) => readRelationState(relation, log));
  showStatus(model, states, readConfig(model), await loadPolicy(model));
}
