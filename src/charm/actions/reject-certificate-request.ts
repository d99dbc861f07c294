import * as z from "zod/mini";
import type { ActionContext } from "../../juju/index.ts";
import { OTHER_ERROR } from "../../interface/request-errors.ts";
import { locateRequest } from "../locate-request.ts";
import { readPublished, withoutRequest, writePublished } from "../provided.ts";
import { csrParamIdentity } from "./csr-param.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { refreshStatus } from "./relation-states.ts";
import { requesterResult } from "./request-view.ts";

const MAX_REASON_LENGTH = 1024;

const params = z.object({
  "certificate-signing-request": z.string(),
  reason: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, "must say why the request is refused"),
      z.maxLength(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`),
    ),
  "relation-id": z.optional(z.int().check(z.minimum(0))),
});

/**
 * Refuses a request: it is no longer outstanding, and requirers that read `request_errors`
 * (charmlibs 1.3+) learn why. A later provide-certificate for the same CSR lifts the refusal.
 */
export async function rejectCertificateRequest(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const identity = csrParamIdentity(given["certificate-signing-request"]);
  const relations = selectRelations(model, given["relation-id"]);
  const { relation, request } = locateRequest(relations, identity, undefined, log);
  const published = withoutRequest(readPublished(relation, log), identity);
  writePublished(relation, {
    certificates: published.certificates,
    rejections: [
      ...published.rejections,
      { csr: request.csr, ...OTHER_ERROR, message: given.reason },
    ],
  });
  await refreshStatus(model, log, { wrote: [relation] });
  log.info(
    `refused a request of ${request.unitName ?? request.applicationName} on ${relation.label}`,
  );
  action.setResults({
    result: "Request rejected; requirers that read request_errors are told why.",
    "relation-id": relation.id,
    ...requesterResult(request),
  });
}
