import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext } from "../../juju/index.ts";
import { pythonJsonDumps, type PythonJsonValue } from "../../interface/python-json.ts";
import { parseCertificate } from "../../x509/certificate.ts";
import { issuedTo } from "../relation-state.ts";
import { charmFiles, loadPolicy } from "../policy/signing-policy.ts";
import { policyVerdicts, type PolicyVerdicts } from "./policy-view.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { fingerprintText, readIssuedFilters, type IssuedEntry } from "./issued-filters.ts";
import { readRelationState } from "./relation-states.ts";
import { fitInOneResult, lazily, setFittedResults, type FittedList } from "./request-view.ts";
import type { LocatedRequest } from "../requests.ts";
import { fitTable } from "./text-table.ts";

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  format: z._default(z.enum(["json", "pem", "text"], "must be one of json, pem, text"), "json"),
  issuer: z.optional(z.string("must be text: a CA certificate, fingerprint or subject")),
  "expiring-within": z.optional(z.string("must be text such as 30d")),
});

const DAY_MS = 86_400_000;

interface Listed extends IssuedEntry {
  readonly relationId: number;
  readonly applicationName: string;
  readonly request: LocatedRequest | undefined;
  readonly error: string | undefined;
}

/**
 * Every certificate we published, with who holds it, when it expires, which CA it chains to and
 * what today's signing policy makes of it. `issuer` and `expiring-within` narrow it to what a
 * CA rotation or a renewal round must re-sign; `format=pem` gives those certificates' CSRs.
 */
export async function getIssuedCertificates(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const now = new Date();
  const matches = await readIssuedFilters(given, now);
  const listed = selectRelations(model, given["relation-id"]).flatMap((relation) =>
    issuedTo(readRelationState(relation, log)).flatMap(({ certificate, request }): Listed[] => {
      let parsed: ReturnType<typeof parseCertificate> | undefined;
      let error: string | undefined;
      try {
        parsed = parseCertificate(certificate.certificate);
      } catch (problem) {
        error = problem instanceof Error ? problem.message : String(problem);
      }
      const issued: Listed = {
        entry: certificate,
        parsed,
        relationId: relation.id,
        applicationName: request?.applicationName ?? relation.remoteApp,
        request,
        error,
      };
      return matches(issued) ? [issued] : [];
    }),
  );
  const narrowed = given.issuer !== undefined || given["expiring-within"] !== undefined;
  if (given.format === "pem") {
    // What a CA must sign again: certificates in force, for requests still made.
    const csrs = listed.filter(({ entry, request }) => !entry.revoked && request !== undefined);
    setFittedResults(
      action,
      fitInOneResult(
        csrs.map(({ entry }) => `${entry.csr}\n`),
        "",
        "",
        "",
        MAX_RESULT_VALUE_BYTES,
      ),
      csrs.length,
      "CSRs",
      {
        hint: narrowed
          ? "; provide their new certificates and run the action again for the next ones"
          : "; narrow the listing with relation-id, issuer or expiring-within",
      },
    );
    return;
  }
  const policy = await loadPolicy(model, charmFiles(context.event));
  const judged = issuedVerdicts(policy);
  const fitted: FittedList =
    given.format === "text"
      ? fitTable(
          [
            "RELATION",
            "UNIT/APP",
            "STATE",
            "EXPIRES",
            "DAYS",
            "SERIAL",
            "ISSUER",
            "SUBJECT",
            "SANS",
            ...(judged.cell === undefined ? [] : ["POLICY"]),
          ],
          lazily(listed, (issued) => row(issued, now, judged)),
          listed.length,
          MAX_RESULT_VALUE_BYTES,
          { one: "certificate", many: "certificates" },
        )
      : fitInOneResult(
          lazily(listed, (issued) => pythonJsonDumps(view(issued, now, judged))),
          "[",
          ", ",
          "]",
          MAX_RESULT_VALUE_BYTES,
        );
  setFittedResults(action, fitted, listed.length, "certificates", {
    hint: narrowed ? "" : "; narrow the listing with relation-id, issuer or expiring-within",
  });
}

type Judged = PolicyVerdicts<Listed>;

function issuedVerdicts(policy: Awaited<ReturnType<typeof loadPolicy>>): Judged {
  return policyVerdicts(policy, ({ parsed, request, applicationName }: Listed) =>
    policy.kind === "valid" && parsed !== undefined
      ? policy.judge.issued(
          parsed.der,
          { application: applicationName, unit: request?.unitName },
          request,
        )
      : [],
  );
}

function view(issued: Listed, now: Date, judged: Judged): Record<string, PythonJsonValue> {
  const { entry, parsed, request, relationId, applicationName, error } = issued;
  const where = {
    relation_id: relationId,
    application_name: applicationName,
    unit_name: request?.unitName ?? null,
    // The CSR it answers, as the requirer wrote it: what to sign again.
    csr: entry.csr,
  };
  if (parsed === undefined) return { ...where, error: error ?? "unreadable" };
  return {
    ...where,
    subject: parsed.subject,
    sans: [...parsed.sans],
    serial: parsed.serialNumber,
    not_after: parsed.notAfter.toISOString(),
    days_left: daysLeft(parsed.notAfter, now),
    is_ca: parsed.isCa,
    revoked: entry.revoked,
    issuer: parsed.issuer,
    ca_fingerprint: fingerprintText(entry.ca),
    policy: judged.field(issued),
  };
}

function row(issued: Listed, now: Date, judged: Judged): string[] {
  const { entry, parsed, request, relationId, applicationName, error } = issued;
  // No request: its CSR is no longer asked for, and the next hook withdraws the certificate.
  const holder =
    request === undefined
      ? `${applicationName} (not asked)`
      : (request.unitName ?? `${applicationName} (app)`);
  const policy = judged.cell === undefined ? [] : [judged.cell(issued)];
  if (parsed === undefined) {
    return [
      String(relationId),
      holder,
      "unreadable",
      "?",
      "?",
      "?",
      "?",
      error ?? "?",
      "-",
      ...policy,
    ];
  }
  const days = daysLeft(parsed.notAfter, now);
  const state = entry.revoked ? "revoked" : parsed.notAfter < now ? "expired" : "valid";
  return [
    String(relationId),
    holder,
    state,
    parsed.notAfter.toISOString().slice(0, 10),
    String(days),
    parsed.serialNumber,
    parsed.issuer === "" ? "-" : parsed.issuer,
    parsed.subject === "" ? "-" : parsed.subject,
    parsed.sans.length === 0 ? "-" : parsed.sans.join(", "),
    ...policy,
  ];
}

const daysLeft = (notAfter: Date, now: Date): number =>
  Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
