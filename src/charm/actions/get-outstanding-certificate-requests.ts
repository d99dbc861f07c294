import * as z from "zod/mini";
import type { ActionContext } from "../../juju/index.ts";
import { readProvided } from "../provided.ts";
import { outstandingRequests } from "../reconcile.ts";
import { readRelationRequests } from "../requests.ts";
import { outstandingMessage } from "../status.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { requestsResult, requestView } from "./request-view.ts";

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
});

export function getOutstandingCertificateRequests(context: ActionContext): void {
  requireLeader(context);
  const { action, model, log } = context;
  const relationId = action.params(params)["relation-id"];
  const relations = selectRelations(model, relationId);
  const outstanding = relations.flatMap((relation) =>
    outstandingRequests(readRelationRequests(relation, log).requests, readProvided(relation, log)),
  );
  if (relationId === undefined)
    model.setUnitStatus("active", outstandingMessage(outstanding.length));
  action.setResults({ result: requestsResult(outstanding.map((request) => requestView(request))) });
}
