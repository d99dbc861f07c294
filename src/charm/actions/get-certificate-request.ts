import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { POLICY_REASON, type RequestError } from "../../interface/request-errors.ts";
import { csrIdentity } from "../csr-identity.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState } from "./relation-states.ts";
import { detailFields, requestDetailer } from "./request-details.ts";
import { fitRequestTable } from "./request-table.ts";
import { charmFiles, loadPolicy } from "../policy/signing-policy.ts";
import { requestVerdicts } from "./policy-view.ts";
import { fitInOneResult, lazily, requestView, setFittedResults } from "./request-view.ts";

const STATES = ["certificate", "outstanding", "rejected"] as const;
type RequestState = (typeof STATES)[number];

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  format: z._default(z.enum(["json", "text"]), "json"),
  state: z.optional(z.enum(STATES, `must be one of ${STATES.join(", ")}`)),
});

/**
 * Every request of one relation, or of every relation, whatever its state: answered, refused
 * (by the operator or the signing policy) or waiting. `state` keeps only one of them, so the
 * refused requests of a whole model come in one run.
 */
export async function getCertificateRequest(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const relations = selectRelations(model, given["relation-id"]);
  const located = relations.flatMap((relation) => {
    const { requests, published } = readRelationState(relation, log);
    const answered = new Set(
      published.certificates
        .filter((entry) => !entry.revoked)
        .map((entry) => csrIdentity(entry.csr)),
    );
    const refusals = new Map(published.rejections.map((entry) => [csrIdentity(entry.csr), entry]));
    return requests.map((request) => {
      const refusal = refusals.get(request.identity);
      const state: RequestState = answered.has(request.identity)
        ? "certificate"
        : refusal !== undefined
          ? "rejected"
          : "outstanding";
      return { request, state, refusal };
    });
  });
  const shown = located.filter(({ state }) => given.state === undefined || state === given.state);
  const policy = await loadPolicy(model, charmFiles(context.event));
  const verdicts = requestVerdicts(policy);
  const details = requestDetailer(relations);
  const fitted =
    given.format === "text"
      ? fitRequestTable(
          lazily(shown, ({ request, state, refusal }) => ({
            request,
            details: details(request),
            state: stateCell(state, refusal),
            policy: verdicts.cell?.(request),
          })),
          shown.length,
          true,
          MAX_RESULT_VALUE_BYTES,
          verdicts.cell !== undefined,
        )
      : fitInOneResult(
          lazily(shown, ({ request, state, refusal }) =>
            pythonJsonDumps(
              requestView(request, {
                has_certificate: state === "certificate",
                rejected: refusal?.message ?? null,
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
  setFittedResults(action, fitted, shown.length, "requests");
}

/** The STATE column: who refused a request shows beside the word, the reason is in JSON. */
function stateCell(state: RequestState, refusal: RequestError | undefined): string {
  if (state !== "rejected") return state;
  return refusal?.reason === POLICY_REASON ? "rejected (policy)" : "rejected";
}
