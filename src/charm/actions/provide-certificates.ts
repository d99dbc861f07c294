import * as z from "zod/mini";
import { MAX_RESULT_VALUE_BYTES, type ActionContext, type Relation } from "../../juju/index.ts";
import type { ProvidedCertificate } from "../../interface/provided-certificates.ts";
import { pythonJsonDumps, type PythonJsonValue } from "../../interface/python-json.ts";
import {
  MAX_BUNDLE_BYTES,
  decodeActionText,
  readCertificateBundle,
} from "../../x509/action-input.ts";
import {
  CertificateError,
  certificateFromDer,
  type ParsedCertificate,
} from "../../x509/certificate.ts";
import { CsrError, parseCsr } from "../../x509/csr.ts";
import { CertificateValidationError } from "../../x509/validation.ts";
import { writePublished } from "../provided.ts";
import { checkAnswer, withAnswers, type Issuer } from "./answer.ts";
import { failing, parseCertificateParam, parseChainParam } from "./certificate-params.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { recordIssued, type Issue } from "./issued-names.ts";
import { checkBatchCa, unmatchedCaReason } from "./misplaced.ts";
import { findRequestsByKey, type KeyedRequest } from "./requests-by-key.ts";
import { readRelationState, refreshStatus } from "./relation-states.ts";
import { fitInOneResult, lazily, requesterView, setFittedResults } from "./request-view.ts";
import { charmFiles, loadPolicy } from "../policy/signing-policy.ts";
import { judgeCertificate, requireUsablePolicy } from "./policy-check.ts";

const params = z.object({
  certificates: z.string(),
  "ca-certificate": z.string(),
  "ca-chain": z.optional(z.string()),
  "relation-id": z.optional(z.int().check(z.minimum(0))),
});

/** What happened to one certificate of the bundle. */
type Outcome =
  | { readonly kind: "provided"; readonly to: KeyedRequest; readonly warnings: readonly string[] }
  | { readonly kind: "refused" | "unmatched"; readonly reason: string };

interface Placed {
  /** 1-based position in the bundle, as the operator counts. */
  readonly position: number;
  readonly certificate: ParsedCertificate | undefined;
  readonly outcome: Outcome;
}

/**
 * Answers many requests at once: each certificate of the bundle goes to the request whose CSR
 * holds its public key, after every check provide-certificate makes. Certificates that fail
 * are refused, each with its reason, and nothing is written for them; the others are
 * published with one write per relation.
 */
export async function provideCertificates(context: ActionContext): Promise<void> {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  // Every input is looked at for a private key before anything is parsed: one anywhere refuses
  // the whole run, and no later message can hint at it.
  const texts = failing(() => ({
    certificates: decodeActionText("certificates", given.certificates, MAX_BUNDLE_BYTES),
    ca: decodeActionText("ca-certificate", given["ca-certificate"]),
    chain:
      given["ca-chain"] === undefined ? undefined : decodeActionText("ca-chain", given["ca-chain"]),
  }));
  const policy = await loadPolicy(model, charmFiles(context.event));
  requireUsablePolicy(policy);
  const blocks = failing(() => readCertificateBundle("certificates", texts.certificates));
  const issuer: Issuer = {
    caCertificate: parseCertificateParam("ca-certificate", texts.ca),
    chain: texts.chain === undefined ? undefined : parseChainParam(texts.chain),
    now: new Date(),
  };
  const relations = selectRelations(model, given["relation-id"]);
  const states = new Map(relations.map((relation) => [relation, readRelationState(relation, log)]));
  const byKey = findRequestsByKey(states, log);
  checkBatchCa(issuer.caCertificate, byKey);

  const answers = new Map<Relation, { entries: ProvidedCertificate[]; issues: Issue[] }>();
  const answeredBy = new Map<string, number>();
  const placed: Placed[] = blocks.map((block, index) => {
    const position = index + 1;
    let certificate: ParsedCertificate;
    try {
      certificate = certificateFromDer(block.der, `certificate ${position}`);
    } catch (error) {
      if (!(error instanceof CertificateError)) throw error;
      return { position, certificate: undefined, outcome: refused(error.message) };
    }
    const outcome = answer(certificate);
    if (outcome.kind === "provided") answeredBy.set(outcome.to.request.identity, position);
    return { position, certificate, outcome };

    function answer(certificate: ParsedCertificate): Outcome {
      const candidates = byKey(certificate.subjectPublicKeyInfo);
      const [match, ...others] = candidates;
      if (match === undefined) {
        return {
          kind: "unmatched",
          reason:
            unmatchedCaReason(certificate, issuer.caCertificate, issuer.chain ?? []) ??
            "no request has this certificate's public key" +
              (given["relation-id"] === undefined ? "" : ` on relation ${given["relation-id"]}`) +
              "; it may have been renewed or withdrawn",
        };
      }
      if (others.length > 0) return refused(ambiguity(candidates, given["relation-id"]));
      const earlier = answeredBy.get(match.request.identity);
      if (earlier !== undefined) {
        return refused(`certificate ${earlier} of this bundle already answers the same request`);
      }
      try {
        const csr = parseCsr(match.request.csr, { input: "certificate-signing-request" });
        const entry = checkAnswer(match.request, csr, certificate, issuer);
        const verdict = judgeCertificate(policy, match.request, certificate.der);
        if (verdict.refused !== undefined) return refused(verdict.refused);
        const forRelation = answers.get(match.relation) ?? { entries: [], issues: [] };
        forRelation.entries.push(entry);
        forRelation.issues.push({ request: match.request, names: csr, certificate });
        answers.set(match.relation, forRelation);
        return { kind: "provided", to: match, warnings: verdict.warnings };
      } catch (error) {
        if (error instanceof CertificateValidationError || error instanceof CsrError) {
          return refused(error.message);
        }
        throw error;
      }
    }
  });

  // Every relation's new lists are computed before the first write.
  const writes = [...answers].map(([relation, { entries, issues }]) => ({
    relation,
    published: withAnswers(states.get(relation)!.published, entries),
    issues,
  }));
  for (const { relation, published, issues } of writes) {
    recordIssued(relation, issues);
    writePublished(relation, published);
    log.info(`provided ${issues.length} certificate(s) on ${relation.label}`);
  }
  if (writes.length > 0) {
    await refreshStatus(model, log, { wrote: writes.map(({ relation }) => relation) });
  }
  report(context, placed);
}

const refused = (reason: string): Outcome => ({ kind: "refused", reason });

function ambiguity(candidates: readonly KeyedRequest[], relationId: number | undefined): string {
  const where = candidates
    .map(
      ({ relation, request }) =>
        `${request.unitName ?? request.applicationName} on relation ${relation.id}`,
    )
    .join(", ");
  const hint =
    relationId === undefined && new Set(candidates.map((c) => c.relation.id)).size > 1
      ? "pass relation-id to choose one"
      : "answer it with provide-certificate, which names the CSR";
  return `ambiguous: its public key stands in ${candidates.length} requests (${where}); ${hint}`;
}

function report({ action }: ActionContext, placed: readonly Placed[]): void {
  const count = (kind: Outcome["kind"]): number =>
    placed.filter((entry) => entry.outcome.kind === kind).length;
  // What went wrong comes first: past the result bound, those are the entries to see.
  const ordered = [
    ...placed.filter((entry) => entry.outcome.kind !== "provided"),
    ...placed.filter((entry) => entry.outcome.kind === "provided"),
  ];
  const fitted = fitInOneResult(
    lazily(ordered, (entry) => pythonJsonDumps(view(entry))),
    "[",
    ", ",
    "]",
    MAX_RESULT_VALUE_BYTES - 1024,
  );
  const counts = {
    provided: count("provided"),
    refused: count("refused"),
    unmatched: count("unmatched"),
  };
  setFittedResults(action, fitted, placed.length, "certificates, refusals first", {
    extra: counts,
  });
}

function view({ position, certificate, outcome }: Placed): Record<string, PythonJsonValue> {
  const about = {
    position,
    subject: certificate?.subject ?? null,
    serial: certificate?.serialNumber ?? null,
  };
  if (outcome.kind !== "provided")
    return { ...about, status: outcome.kind, reason: outcome.reason };
  return {
    ...about,
    status: "provided",
    relation_id: outcome.to.relation.id,
    ...requesterView(outcome.to.request),
    ...(outcome.warnings.length === 0 ? {} : { warnings: [...outcome.warnings] }),
  };
}
