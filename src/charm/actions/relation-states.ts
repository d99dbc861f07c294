import type { Logger, Relation } from "../../juju/index.ts";
import { readPublished } from "../provided.ts";
import type { RelationState } from "../reconcile.ts";
import { readRelationRequests } from "../requests.ts";

/** What a relation asks and what we published on it, read without writing anything. */
export function readRelationState(relation: Relation, log: Logger): RelationState {
  return {
    requests: readRelationRequests(relation, log).requests,
    published: readPublished(relation, log),
  };
}
