import type { Logger, Model, Relation } from "../../juju/index.ts";
import { readConfig } from "../config.ts";
import { CERTIFICATES_ENDPOINT } from "../endpoints.ts";
import { leaderStatus } from "../leader-status.ts";
import { answeredCsrs, readPublished } from "../provided.ts";
import type { RelationState } from "../relation-state.ts";
import { readRelationRequests } from "../requests.ts";
import { countsRequestsAgainstPolicy } from "../policy/in-hooks.ts";
import { loadPolicy, policyBasis, type PolicyState } from "../policy/signing-policy.ts";
import { KeptSummary } from "../summary/kept-summary.ts";
import type { RelationSummary } from "../summary/relation-summary.ts";
import { summarizeRelation, type BreaksPolicy } from "../summary/summarize.ts";
import { trustBundleProblem } from "../trust-bundle.ts";

/** What a relation asks and what we published on it, read without writing anything. */
export function readRelationState(relation: Relation, log: Logger): RelationState {
  const published = readPublished(relation, log);
  const answered = answeredCsrs(published);
  return { requests: readRelationRequests(relation, log, { answered }).requests, published };
}

/**
 * Which relations an action changed, or that it read them all and changed none. An action that
 * read one unit of a relation on purpose (provide-certificate with unit-name) has not read the
 * rest of it: that relation's summary is forgotten, for the next hook to rebuild.
 */
export type ActionReach =
  | { readonly wrote: readonly Relation[] }
  | { readonly wroteUnread: Relation }
  | "read every relation";

/**
 * After an action: keeps the summary of each relation it wrote, read whole as it now stands, and
 * shows the status as it stands (or, for a relation read in part, forgets its summary). Juju
 * fires no hook for our own writes, so without this the summary and the status would lag until
 * the next hook of that relation. The other relations'
 * summaries come from charm state (or, for one with none, from a read that keeps nothing); an
 * action that read every relation shows what it read. A summary that cannot be trusted is left
 * for the next hook to rebuild.
 */
export async function refreshStatus(model: Model, log: Logger, reach: ActionReach): Promise<void> {
  if (typeof reach === "object" && "wroteUnread" in reach) {
    // No basis needed: forgetting an entry is right under any.
    KeptSummary.open(model.charmState, { role: "leader", policy: "" }, log).forget(
      reach.wroteUnread.id,
    );
    return;
  }
  const policy = await loadPolicy(model);
  const kept = KeptSummary.open(
    model.charmState,
    { role: "leader", policy: await policyBasis(model) },
    log,
  );
  const breaksPolicy = judgeForStatus(policy);
  const summarize = (relation: Relation): RelationSummary =>
    summarizeRelation(readRelationState(relation, log), breaksPolicy);
  const wrote = new Set(reach === "read every relation" ? [] : reach.wrote.map((r) => r.id));
  const relations = model.relations(CERTIFICATES_ENDPOINT).map((relation) => {
    let summary: RelationSummary | undefined;
    if (wrote.has(relation.id)) {
      summary = summarize(relation);
      kept.put(relation.id, summary);
    } else if (reach !== "read every relation") {
      summary = kept.get(relation.id);
    }
    return { label: relation.label, summary: summary ?? summarize(relation) };
  });
  const status = leaderStatus(
    relations,
    { trustProblem: trustBundleProblem(model), reading: readConfig(model), policy },
    new Date(),
  );
  model.setUnitStatus(status.status, status.message);
}

/** As the hooks judge it (policy/in-hooks.ts), without the verdicts they keep. */
function judgeForStatus(policy: PolicyState): BreaksPolicy | undefined {
  if (!countsRequestsAgainstPolicy(policy)) return undefined;
  return (request) => policy.judge.request(request).length > 0;
}
