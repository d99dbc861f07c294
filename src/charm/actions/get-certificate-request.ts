import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { csrIdentity } from "../csr-identity.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState } from "./relation-states.ts";
import { fitInOneResult, requestView } from "./request-view.ts";

const params = z.object({
  "relation-id": z.int().check(z.minimum(0)),
});

export function getCertificateRequest(context: ActionContext): void {
  requireLeader(context);
  const { action, model, log } = context;
  const [relation] = selectRelations(model, action.params(params)["relation-id"]);
  if (!relation) return;
  const { requests, published } = readRelationState(relation, log);
  const answered = new Set(
    published.certificates.filter((entry) => !entry.revoked).map((entry) => csrIdentity(entry.csr)),
  );
  const refusals = new Map(published.rejections.map((entry) => [csrIdentity(entry.csr), entry]));
  const views = requests.map((request) =>
    requestView(request, {
      has_certificate: answered.has(request.identity),
      rejected: refusals.get(request.identity)?.message ?? null,
    }),
  );
  const fitted = fitInOneResult(views.map(pythonJsonDumps), "[", ", ", "]", MAX_RESULT_VALUE_BYTES);
  if (fitted.listed < views.length) {
    action.log(
      `listing ${fitted.listed} of ${views.length} requests, as many as one action result holds`,
    );
    action.setResults({ result: fitted.text, listed: fitted.listed, total: views.length });
    return;
  }
  action.setResults({ result: fitted.text });
}
