import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { csrIdentity } from "../csr-identity.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState } from "./relation-states.ts";
import type { LocatedRequest } from "../requests.ts";
import { detailFields, requestDetailer } from "./request-details.ts";
import { fitRequestTable } from "./request-table.ts";
import { charmFiles, loadPolicy } from "../signing-policy.ts";
import { requestVerdicts } from "./policy-view.ts";
import { fitInOneResult, lazily, requestView, setFittedResults } from "./request-view.ts";

const params = z.object({
  "relation-id": z.int().check(z.minimum(0)),
  format: z._default(z.enum(["json", "text"]), "json"),
});

export async function getCertificateRequest(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const [relation] = selectRelations(model, given["relation-id"]);
  if (!relation) return;
  const { requests, published } = readRelationState(relation, log);
  const answered = new Set(
    published.certificates.filter((entry) => !entry.revoked).map((entry) => csrIdentity(entry.csr)),
  );
  const refusals = new Map(published.rejections.map((entry) => [csrIdentity(entry.csr), entry]));
  const policy = await loadPolicy(model, charmFiles(context.event));
  const verdicts = requestVerdicts(policy);
  const details = requestDetailer([relation]);
  const state = (request: LocatedRequest) => ({
    has_certificate: answered.has(request.identity),
    rejected: refusals.get(request.identity)?.message ?? null,
  });
  const fitted =
    given.format === "text"
      ? fitRequestTable(
          lazily(requests, (request) => {
            const { has_certificate, rejected } = state(request);
            const shown = has_certificate
              ? "certificate"
              : rejected !== null
                ? "rejected"
                : "outstanding";
            return {
              request,
              details: details(request),
              state: shown,
              policy: verdicts.cell?.(request),
            };
          }),
          requests.length,
          true,
          MAX_RESULT_VALUE_BYTES,
          verdicts.cell !== undefined,
        )
      : fitInOneResult(
          lazily(requests, (request) =>
            pythonJsonDumps(
              requestView(request, {
                ...state(request),
                ...detailFields(details(request)),
                policy: verdicts.field(request),
              }),
            ),
          ),
          "[",
          ", ",
          "]",
          MAX_RESULT_VALUE_BYTES,
        );
  setFittedResults(action, fitted, requests.length, "requests");
}
