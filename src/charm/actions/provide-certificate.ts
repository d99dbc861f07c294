import * as z from "zod/mini";
import { ActionFailure, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { readActionCsr } from "../../x509/action-input.ts";
import { parseCsr } from "../../x509/csr.ts";
import { csrIdentity } from "../csr-identity.ts";
import { locateRequest } from "../locate-request.ts";
import { readPublished, writePublished } from "../provided.ts";
import { checkAnswer, withAnswers } from "./answer.ts";
import { failing, parseCertificateParam, parseChainParam } from "./certificate-params.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { recordIssued } from "./issued-names.ts";
import { refreshStatus } from "./relation-states.ts";
import { requesterResult } from "./request-view.ts";
import { charmFiles, loadPolicy } from "../policy/signing-policy.ts";
import { judgeCertificate, requireUsablePolicy } from "./policy-check.ts";

const UNIT_NAME = /^[a-z][a-z0-9-]*\/\d+$/;

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  "unit-name": z.optional(
    z.string().check(z.regex(UNIT_NAME, "must be a unit name such as vault/0")),
  ),
  "certificate-signing-request": z.string(),
  certificate: z.string(),
  "ca-certificate": z.string(),
  "ca-chain": z.optional(z.string()),
});

/**
 * Checks the operator's certificate against the request it answers and the CA above it, then
 * publishes it to the requirer that asked. Nothing is written unless every check passes.
 */
export async function provideCertificate(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const policy = await loadPolicy(model, charmFiles(context.event));
  requireUsablePolicy(policy);
  const relations = selectRelations(model, given["relation-id"]);

  const csrInput = "certificate-signing-request";
  const csr = failing(() =>
    parseCsr(readActionCsr(csrInput, given[csrInput]).pem, { input: csrInput }),
  );
  const certificate = parseCertificateParam("certificate", given.certificate);
  const caCertificate = parseCertificateParam("ca-certificate", given["ca-certificate"]);
  const chain = given["ca-chain"] ? parseChainParam(given["ca-chain"]) : undefined;

  const { relation, request } = locateRequest(
    relations,
    csrIdentity(csr.pem),
    given["unit-name"],
    log,
  );
  const answer = failing(() =>
    checkAnswer(request, csr, certificate, { caCertificate, chain, now: new Date() }),
  );
  const verdict = judgeCertificate(policy, request, certificate.der);
  if (verdict.refused !== undefined) throw new ActionFailure(verdict.refused);
  for (const warning of verdict.warnings) log.warning(`signing policy (warn): ${warning}`);
  recordIssued(relation, [{ request, names: csr, certificate }]);
  writePublished(relation, withAnswers(readPublished(relation, log), [answer]));
  log.info(
    `provided a certificate for ${certificate.subject} to ` +
      `${request.unitName ?? `application ${request.applicationName}`} on ${relation.label}`,
  );
  // With a unit name the action read one databag on purpose; the next hook reads the relation
  // again and refreshes the status.
  await refreshStatus(
    model,
    log,
    given["unit-name"] === undefined ? { wrote: [relation] } : { wroteUnread: relation },
  );
  action.setResults({
    result: "Certificates successfully provided.",
    "relation-id": relation.id,
    ...requesterResult(request),
    subject: certificate.subject,
    ...(verdict.warnings.length === 0 ? {} : { warnings: pythonJsonDumps([...verdict.warnings]) }),
  });
}
