import * as z from "zod/mini";
import { ActionFailure, type ActionContext } from "../../juju/index.ts";
import { csrIdentity } from "../csr-identity.ts";
import { readPublished, writePublished } from "../provided.ts";
import { csrParamIdentity } from "./csr-param.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { refreshStatus } from "./relation-states.ts";

const params = z.object({
  "certificate-signing-request": z.string(),
  "relation-id": z.optional(z.int().check(z.minimum(0))),
});

/**
 * Marks the certificate for a CSR `revoked`: requirers drop it, and the CSR is outstanding again
 * so the operator can provide a new one. For a compromised key or a certificate issued by mistake.
 */
export async function revokeCertificate(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const identity = csrParamIdentity(given["certificate-signing-request"]);
  const holders = selectRelations(model, given["relation-id"]).filter((relation) =>
    readPublished(relation, log).certificates.some((entry) => csrIdentity(entry.csr) === identity),
  );
  const [relation, ...others] = holders;
  if (!relation) {
    throw new ActionFailure(
      "certificate-signing-request: no certificate was provided for this CSR " +
        (given["relation-id"] === undefined
          ? "on any relation"
          : `on relation ${given["relation-id"]}`),
    );
  }
  if (others.length > 0) {
    const ids = holders.map((holder) => holder.id).join(" and ");
    throw new ActionFailure(
      `certificates for this CSR stand on relations ${ids}; pass relation-id`,
    );
  }
  const published = readPublished(relation, log);
  const entry = published.certificates.find((candidate) => csrIdentity(candidate.csr) === identity);
  if (entry?.revoked) throw new ActionFailure("the certificate for this CSR is already revoked");
  writePublished(relation, {
    ...published,
    certificates: published.certificates.map((candidate) =>
      candidate === entry ? { ...candidate, revoked: true } : candidate,
    ),
  });
  await refreshStatus(model, log, { wrote: [relation] });
  log.info(`revoked the certificate for a CSR on ${relation.label}`);
  action.setResults({
    result: "Certificate revoked; the request is outstanding again.",
    "relation-id": relation.id,
  });
}
