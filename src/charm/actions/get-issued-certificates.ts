import * as z from "zod/mini";
import type { ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { parseCertificate } from "../../x509/certificate.ts";
import { issuedTo } from "../relation-state.ts";
import { charmFiles, loadPolicy } from "../signing-policy.ts";
import { policyVerdicts } from "./policy-view.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { readRelationState } from "./relation-states.ts";

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
});

const DAY_MS = 86_400_000;

/**
 * Every certificate we published, with who holds it, when it expires, and what today's signing
 * policy makes of it: a tightened policy shows what was issued before it.
 */
export async function getIssuedCertificates(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const now = Date.now();
  const policy = await loadPolicy(model, charmFiles(context.event));
  const views = selectRelations(model, action.params(params)["relation-id"]).flatMap((relation) => {
    const state = readRelationState(relation, log);
    return issuedTo(state).map(({ certificate, request }) => {
      const where = {
        relation_id: relation.id,
        application_name: request?.applicationName ?? relation.remoteApp,
        unit_name: request?.unitName ?? null,
      };
      let parsed: ReturnType<typeof parseCertificate>;
      try {
        parsed = parseCertificate(certificate.certificate);
      } catch (error) {
        return { ...where, error: error instanceof Error ? error.message : String(error) };
      }
      const requester = { application: where.application_name, unit: request?.unitName };
      const verdicts = policyVerdicts(policy, (der: Buffer) =>
        policy.kind === "valid" ? policy.judge.issued(der, requester, request) : [],
      );
      return {
        ...where,
        subject: parsed.subject,
        sans: [...parsed.sans],
        serial: parsed.serialNumber,
        not_after: parsed.notAfter.toISOString(),
        days_left: Math.floor((parsed.notAfter.getTime() - now) / DAY_MS),
        is_ca: parsed.isCa,
        revoked: certificate.revoked,
        policy: verdicts.field(parsed.der),
      };
    });
  });
  action.setResults({ result: pythonJsonDumps(views) });
}
