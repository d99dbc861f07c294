import type { HookContext, JujuEvent, Relation } from "../juju/index.ts";
import { readConfig } from "./config.ts";
import { CERTIFICATES_ENDPOINT, TRUST_ENDPOINT } from "./endpoints.ts";
import { leaderStatus } from "./leader-status.ts";
import { policyInHooks, type PolicyInHooks } from "./policy/in-hooks.ts";
import { charmFiles, loadPolicy, policyBasis } from "./policy/signing-policy.ts";
import { NON_LEADER_MESSAGE } from "./status.ts";
import { KeptSummary, type SummaryBasis } from "./summary/kept-summary.ts";
import type { RelationSummary } from "./summary/relation-summary.ts";
import { reconcileTrustBundle, trustBundleProblem } from "./trust-bundle.ts";

/**
 * Hooks after which every relation is looked at again and the kept summary rebuilt: a new leader
 * trusts nothing an earlier term kept, new code may summarize differently, and the configuration
 * decides what is published everywhere.
 */
const FULL_LOOK_HOOKS: ReadonlySet<string> = new Set([
  "leader-elected",
  "upgrade-charm",
  "config-changed",
]);

/**
 * Every hook, with a cost that follows what changed. A hook of one certificates relation
 * reconciles that relation (and any the summary has no entry for); update-status and the other
 * hooks read none and take the status from the summary kept in charm state. A full look, which
 * reconciles every relation and rebuilds the summary, runs after the hooks above, when the
 * summary cannot be trusted, and on update-status once an hour, so nothing stays wrong for long.
 */
export async function reconcile(context: HookContext): Promise<void> {
  const { model, log, event } = context;
  const leader = model.isLeader();
  const basis: SummaryBasis = leader
    ? { role: "leader", policy: await policyBasis(model) }
    : { role: "standby", policy: "" };
  const kept = KeptSummary.open(model.charmState, basis, log);
  const now = new Date();
  const fullLook =
    FULL_LOOK_HOOKS.has(event.name) ||
    (event.name === "update-status" ? kept.fullLookDue(now.getTime()) : !kept.trusted);
  if (fullLook) log.debug(`looking at every relation (${whyFullLook(event, kept)})`);

  const trustScope = fullLook ? "every relation" : ownRelation(event, TRUST_ENDPOINT);
  if (trustScope !== undefined) reconcileTrustBundle(context, trustScope);
  if (!leader) {
    if (fullLook) kept.rebuild(basis, new Map(), now.getTime());
    const problem = trustBundleProblem(model);
    if (problem === undefined) model.setUnitStatus("active", NON_LEADER_MESSAGE);
    else model.setUnitStatus("blocked", problem);
    return;
  }

  const reading = readConfig(model);
  const files = charmFiles(event);
  const policy = await loadPolicy(model, files);
  const judging = await policyInHooks(policy, files, fullLook);
  const own = ownRelation(event, CERTIFICATES_ENDPOINT);
  // In its -broken hook a relation is gone: Juju no longer lists it (runner/context/
  // contextfactory.go, getContextRelations), and its summary goes with it.
  const relations = model
    .relations(CERTIFICATES_ENDPOINT)
    .filter((relation) => !(isBroken(event) && relation.id === own?.relationId));
  const summaries = new Map<number, RelationSummary>();
  const unread: Relation[] = [];
  for (const relation of relations) {
    const summary = fullLook || relation.id === own?.relationId ? undefined : kept.get(relation.id);
    if (summary === undefined) unread.push(relation);
    else summaries.set(relation.id, summary);
  }
  if (unread.length > 0) {
    // Only a hook that reads a relation loads what reads one (the X.509 checks, node:crypto).
    const read = await relationReader(context, judging);
    for (const relation of unread) {
      const summary = read(relation);
      summaries.set(relation.id, summary);
      if (!fullLook) kept.put(relation.id, summary);
    }
  }
  if (fullLook) kept.rebuild(basis, summaries, now.getTime());
  else kept.keepOnly(relations.map((relation) => relation.id));
  judging.done();

  const status = leaderStatus(
    relations.map((relation) => ({ label: relation.label, summary: summaries.get(relation.id)! })),
    { trustProblem: trustBundleProblem(model), reading, policy },
    now,
  );
  model.setUnitStatus(status.status, status.message);
}

/** Reconciles one relation and returns its summary. */
async function relationReader(
  { log }: HookContext,
  judging: PolicyInHooks,
): Promise<(relation: Relation) => RelationSummary> {
  const [{ reconcileRelation }, { summarizeRelation }] = await Promise.all([
    import("./relation-reconcile.ts"),
    import("./summary/summarize.ts"),
  ]);
  return (relation) =>
    summarizeRelation(reconcileRelation(relation, log, judging.refusals), judging.breaksPolicy);
}

/** The relation of this hook when it is one of the endpoint's. */
function ownRelation(event: JujuEvent, endpoint: string): { relationId: number } | undefined {
  return event.kind === "relation" && event.endpoint === endpoint
    ? { relationId: event.relationId }
    : undefined;
}

const isBroken = (event: JujuEvent): boolean =>
  event.kind === "relation" && event.relationKind === "broken";

function whyFullLook(event: JujuEvent, kept: KeptSummary): string {
  if (FULL_LOOK_HOOKS.has(event.name)) return event.name;
  return kept.trusted ? "an hour since the last full look" : "no summary to trust";
}
