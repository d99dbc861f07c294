import * as z from "zod/mini";
import type { ActionContext } from "../../juju/index.ts";
import { outstandingRequests } from "../reconcile.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState, refreshStatus } from "./relation-states.ts";
import { requestsResult, requestView } from "./request-view.ts";

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  format: z._default(z.enum(["json", "pem"]), "json"),
});

export function getOutstandingCertificateRequests(context: ActionContext): void {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const relationId = given["relation-id"];
  const relations = selectRelations(model, relationId);
  const outstanding = relations.flatMap((relation) =>
    outstandingRequests(readRelationState(relation, log)),
  );
  if (relationId === undefined) refreshStatus(model, log);
  if (given.format === "pem") {
    // One bundle to split and sign in a shell loop; a requirer's CSR text is kept as it wrote it.
    action.setResults({ result: outstanding.map((request) => `${request.csr}\n`).join("") });
    return;
  }
  action.setResults({ result: requestsResult(outstanding.map((request) => requestView(request))) });
}
