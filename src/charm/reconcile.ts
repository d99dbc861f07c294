import type { ProvidedCertificate } from "../interface/provided-certificates.ts";
import { POLICY_REASON, type RequestError } from "../interface/request-errors.ts";
import type { HookContext, Logger, Model, Relation } from "../juju/index.ts";
import { readConfig, type ConfigReading } from "./config.ts";
import { CERTIFICATES_ENDPOINT } from "./endpoints.ts";
import { csrIdentity } from "./csr-identity.ts";
import { DatabagBudgetError } from "./databag-budget.ts";
import { expiryMessage, summarizeExpiry, type IssuedTo } from "./expiry.ts";
import { answeredCsrs, readPublished, writePublished, type Published } from "./provided.ts";
import { readRelationRequests, type LocatedRequest } from "./requests.ts";
import { charmFiles, loadPolicy, type CharmFiles, type PolicyState } from "./signing-policy.ts";
import { reconcileTrustBundle, trustBundleProblem } from "./trust-bundle.ts";
import {
  NON_LEADER_MESSAGE,
  NO_RELATION_MESSAGE,
  joinStatus,
  outstandingMessage,
  policyRefusedMessage,
} from "./status.ts";

export interface RelationState {
  readonly requests: readonly LocatedRequest[];
  readonly published: Published;
  /** Set when a write this relation needed was refused for its size: the status to show. */
  readonly overBudget?: string;
}

/**
 * Every hook: read what requirers ask for and what we published, drop answers nobody asks for
 * any more, and show how many requests wait for the operator. Idempotent by construction.
 */
export async function reconcile(context: HookContext): Promise<void> {
  const { model, log } = context;
  reconcileTrustBundle(context);
  if (!model.isLeader()) {
    const problem = trustBundleProblem(model);
    if (problem === undefined) model.setUnitStatus("active", NON_LEADER_MESSAGE);
    else model.setUnitStatus("blocked", problem);
    return;
  }
  const reading = readConfig(model);
  const files = charmFiles(context.event);
  const policy = await loadPolicy(model, files);
  const { refusals, done } = await policyRefusals(policy, files);
  const relations = model.relations(CERTIFICATES_ENDPOINT);
  const states = relations.map((relation) => reconcileRelation(relation, log, refusals));
  done();
  showStatus(model, states, reading, policy);
}

/**
 * The refusals a relation should carry, given its requests and what else it holds. The
 * operator's own refusals are always kept as they are; the signing policy's are its to change.
 */
export type Refusals = (
  requests: readonly LocatedRequest[],
  published: Published,
) => RequestError[];

/** No policy, or one that does not reject: any refusal the policy made earlier is withdrawn. */
const operatorRefusalsOnly: Refusals = (_, published) =>
  published.rejections.filter((entry) => entry.reason !== POLICY_REASON);

/** An invalid policy changes nothing already published. */
const keepRefusals: Refusals = (_, published) => published.rejections;

/** How this hook's refusals are made, and what to do once every relation has been seen. */
async function policyRefusals(
  policy: PolicyState,
  files: CharmFiles,
): Promise<{ refusals: Refusals; done: () => void }> {
  const nothing = (): void => undefined;
  if (policy.kind === "invalid") return { refusals: keepRefusals, done: nothing };
  if (policy.kind === "none" || policy.policy.enforcement !== "reject") {
    return { refusals: operatorRefusalsOnly, done: nothing };
  }
  const [{ refusalsUnderPolicy }, { openVerdicts }] = await Promise.all([
    import("./policy-refusals.ts"),
    import("./policy-verdicts.ts"),
  ]);
  const verdicts = openVerdicts(files, policy.digest);
  const judge = (request: LocatedRequest) => verdicts.judge(request, policy.judge.request);
  return {
    refusals: (requests, published) => refusalsUnderPolicy(judge, requests, published),
    done: () => verdicts.save(),
  };
}

/** The leader's status from every relation's state: outstanding requests, then expiry. */
export function showStatus(
  model: Model,
  states: readonly RelationState[],
  reading: ConfigReading,
  policy: PolicyState,
): void {
  const trustProblem = trustBundleProblem(model);
  if (trustProblem !== undefined) {
    model.setUnitStatus("blocked", trustProblem);
    return;
  }
  if (!reading.ok) {
    model.setUnitStatus("blocked", reading.problem);
    return;
  }
  if (policy.kind === "invalid") {
    model.setUnitStatus("blocked", policy.problem);
    return;
  }
  const full = states.find((state) => state.overBudget !== undefined);
  if (full?.overBudget !== undefined) {
    model.setUnitStatus("blocked", full.overBudget);
    return;
  }
  if (states.length === 0) {
    model.setUnitStatus("active", NO_RELATION_MESSAGE);
    return;
  }
  const outstanding = states.reduce((sum, state) => sum + outstandingRequests(state).length, 0);
  const warningDays = reading.config.expiryWarningDays;
  const summary = summarizeExpiry(states.flatMap(issuedTo), warningDays, new Date());
  const expiry =
    warningDays > 0 || summary.expired.length > 0 ? expiryMessage(summary, warningDays) : undefined;
  const refused = states.reduce(
    (sum, state) =>
      sum + state.published.rejections.filter((entry) => entry.reason === POLICY_REASON).length,
    0,
  );
  const message = joinStatus([
    outstandingMessage(outstanding),
    refused > 0 ? policyRefusedMessage(refused) : undefined,
    expiry,
  ]);
  model.setUnitStatus(summary.expired.length > 0 ? "blocked" : "active", message);
}

/** Cleans one relation's published data and returns what it asks and holds. */
export function reconcileRelation(
  relation: Relation,
  log: Logger,
  refusals: Refusals = operatorRefusalsOnly,
): RelationState {
  const published = readPublished(relation, log);
  const { requests, complete } = readRelationRequests(relation, log, {
    answered: answeredCsrs(published),
  });
  if (!complete) {
    if (published.certificates.length > 0) {
      log.warning(
        `keeping every certificate on ${relation.label}: a requirer databag is unreadable`,
      );
    }
    if (published.asStored === true) return { requests, published };
    return { requests, published, ...writeWithinBudget(relation, published, log) };
  }
  const requested = new Set(requests.map((request) => request.identity));
  const stillAsked = <T extends { csr: string }>(entries: readonly T[]) =>
    entries.filter((entry) => requested.has(csrIdentity(entry.csr)));
  const certificates = stillAsked(published.certificates);
  const kept: Published = {
    certificates,
    rejections: refusals(requests, { certificates, rejections: stillAsked(published.rejections) }),
  };
  const dropped = published.certificates.length - kept.certificates.length;
  if (dropped > 0) {
    log.info(`removed ${dropped} certificate(s) for requests no longer made on ${relation.label}`);
  }
  const unchanged =
    published.asStored === true &&
    dropped === 0 &&
    sameRefusals(kept.rejections, published.rejections);
  // Serializing thousands of entries only to find the same text costs more than the rest.
  if (unchanged) return { requests, published: kept };
  const refused = writeWithinBudget(relation, kept, log);
  // A refused write leaves the stored data as it was, and that is what the status counts.
  return refused.overBudget === undefined
    ? { requests, published: kept }
    : { requests, published, ...refused };
}

function sameRefusals(a: readonly RequestError[], b: readonly RequestError[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, i) => {
      const other = b[i]!;
      return (
        entry.csr === other.csr &&
        entry.code === other.code &&
        entry.name === other.name &&
        entry.message === other.message &&
        entry.reason === other.reason
      );
    })
  );
}

/**
 * Writes the published data unless that would take the databag past the budget. Then nothing is
 * written (the stored data stays whole, and Juju would refuse the commit anyway near its own
 * limit): the hook succeeds and the status names the relation.
 */
function writeWithinBudget(
  relation: Relation,
  published: Published,
  log: Logger,
): { overBudget?: string } {
  try {
    writePublished(relation, published);
    return {};
  } catch (error) {
    if (!(error instanceof DatabagBudgetError)) throw error;
    log.warning(error.message);
    return {
      overBudget:
        `Our data on ${relation.label} is at the 8 MiB bound for one relation; ` +
        "nothing more is written there (see juju debug-log)",
    };
  }
}

/** Requests with no current (non-revoked) certificate and no refusal, one per CSR. */
export function outstandingRequests({ requests, published }: RelationState): LocatedRequest[] {
  const settled = new Set([
    ...published.certificates
      .filter((entry) => !entry.revoked)
      .map((entry) => csrIdentity(entry.csr)),
    ...published.rejections.map((entry) => csrIdentity(entry.csr)),
  ]);
  const seen = new Set<string>();
  return requests.filter((request) => {
    if (settled.has(request.identity) || seen.has(request.identity)) return false;
    seen.add(request.identity);
    return true;
  });
}

/** Each published certificate with who holds it, for status and inventory. */
export function issuedTo({ requests, published }: RelationState): (IssuedTo & {
  request: LocatedRequest | undefined;
})[] {
  const byIdentity = new Map(requests.map((request) => [request.identity, request]));
  return published.certificates.map((certificate: ProvidedCertificate) => {
    const request = byIdentity.get(csrIdentity(certificate.csr));
    const holder = request?.unitName ?? request?.applicationName ?? "an unknown requirer";
    return { certificate, holder, request };
  });
}
