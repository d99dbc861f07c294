import * as z from "zod/mini";
import type { ActionContext } from "../../juju/index.ts";
import { csrIdentity } from "../csr-identity.ts";
import { readProvided } from "../provided.ts";
import { readRelationRequests } from "../requests.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { requestsResult, requestView } from "./request-view.ts";

const params = z.object({
  "relation-id": z.int().check(z.minimum(0)),
});

export function getCertificateRequest(context: ActionContext): void {
  requireLeader(context);
  const { action, model, log } = context;
  const [relation] = selectRelations(model, action.params(params)["relation-id"]);
  if (!relation) return;
  const answered = new Set(
    readProvided(relation, log)
      .filter((entry) => !entry.revoked)
      .map((entry) => csrIdentity(entry.csr)),
  );
  const views = readRelationRequests(relation, log).requests.map((request) =>
    requestView(request, { has_certificate: answered.has(request.identity) }),
  );
  action.setResults({ result: requestsResult(views) });
}
