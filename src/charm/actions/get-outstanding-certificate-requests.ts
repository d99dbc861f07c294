import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { outstandingRequests } from "../relation-state.ts";
import { charmFiles, loadPolicy } from "../policy/signing-policy.ts";
import { requestVerdicts } from "./policy-view.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState, refreshStatus } from "./relation-states.ts";
import { detailFields, requestDetailer } from "./request-details.ts";
import { fitRequestTable } from "./request-table.ts";
import { fitInOneResult, lazily, requestView, setFittedResults } from "./request-view.ts";

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  format: z._default(z.enum(["json", "pem", "text"]), "json"),
});

export async function getOutstandingCertificateRequests(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const relationId = given["relation-id"];
  const relations = selectRelations(model, relationId);
  const outstanding = relations.flatMap((relation) =>
    outstandingRequests(readRelationState(relation, log)),
  );
  const policy = await loadPolicy(model, charmFiles(context.event));
  if (relationId === undefined) await refreshStatus(model, log, "read every relation");
  const verdicts = requestVerdicts(policy);
  const details = requestDetailer(relations);
  const fitted =
    given.format === "pem"
      ? // One bundle to split and sign in a shell loop; each CSR kept as its requirer wrote it.
        fitInOneResult(
          outstanding.map((request) => `${request.csr}\n`),
          "",
          "",
          "",
          MAX_RESULT_VALUE_BYTES,
        )
      : given.format === "text"
        ? fitRequestTable(
            lazily(outstanding, (request) => ({
              request,
              details: details(request),
              policy: verdicts.cell?.(request),
            })),
            outstanding.length,
            false,
            MAX_RESULT_VALUE_BYTES,
            verdicts.cell !== undefined,
          )
        : fitInOneResult(
            lazily(outstanding, (request) =>
              pythonJsonDumps(
                requestView(request, {
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
  setFittedResults(action, fitted, outstanding.length, "outstanding requests", {
    hint: "; provide them and run the action again for the next ones",
  });
}
