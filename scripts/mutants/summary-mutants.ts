import type { Mutant } from "./mutant.ts";

// Defects in the summary the leader keeps between hooks (src/charm/summary and its wiring):
// each leaves a kept value stale or trusted when it must not be.

const MODEL = "tests/e2e/summary-model.test.ts";
const HOOKS = "tests/charm/summary-hooks.test.ts";
const KEPT = "tests/charm/kept-summary.test.ts";

export const SUMMARY_MUTANTS: readonly Mutant[] = [
  {
    id: "K01",
    file: "src/charm/reconcile.ts",
    find: "fullLook || relation.id === own?.relationId ? undefined",
    replace:
      'fullLook || (relation.id === own?.relationId && !event.name.endsWith("-departed")) ? undefined',
    defect:
      "-departed keeps the relation's entry as it was: a departed unit's requests still count",
    tests: [MODEL],
  },
  {
    id: "K02",
    file: "src/charm/reconcile.ts",
    find: "else kept.keepOnly(relations.map((relation) => relation.id));",
    replace: "",
    defect: "a removed relation's entry is kept: its requests and certificates still count",
    tests: [HOOKS, MODEL],
  },
  {
    id: "K03",
    file: "src/charm/actions/relation-states.ts",
    find: "      kept.put(relation.id, summary);",
    replace: "",
    defect: "an action that wrote a relation leaves its entry as before the write",
    tests: [MODEL],
  },
  {
    id: "K04",
    file: "src/charm/actions/relation-states.ts",
    find: "      reach.wroteUnread.id,",
    replace: "      -1,",
    defect: "provide-certificate with unit-name leaves the relation's entry as before the write",
    tests: [MODEL],
  },
  {
    id: "K05",
    file: "src/charm/summary/kept-summary.ts",
    find: "return now - this.fullLookAt >= FULL_LOOK_INTERVAL_MS || this.fullLookAt > now;",
    replace: "return this.fullLookAt > now;",
    defect: "update-status never looks at every relation again: a wrong entry stays wrong for ever",
    tests: [HOOKS, KEPT],
  },
  {
    id: "K06",
    file: "src/charm/summary/kept-summary.ts",
    find: "meta.role === basis.role && meta.policy === basis.policy",
    replace: "meta.role === basis.role",
    defect: "entries judged under an earlier signing policy are trusted after it changed",
    tests: [HOOKS, KEPT],
  },
  {
    id: "K07",
    file: "src/charm/summary/kept-summary.ts",
    find: "meta.version === SUMMARY_VERSION && meta.role === basis.role",
    replace: "meta.version === SUMMARY_VERSION",
    defect: "a standby's summary is trusted once it leads, and a standby keeps a leader's entries",
    tests: [HOOKS, KEPT],
  },
  {
    id: "K08",
    file: "src/charm/summary/kept-summary.ts",
    find: "used + bytes > MAX_SUMMARY_BYTES",
    replace: "false",
    defect: "the summary grows past its 1 MiB budget towards Juju's 2 MiB, where every hook fails",
    tests: [KEPT],
  },
  {
    id: "K09",
    file: "src/charm/reconcile.ts",
    find: 'const trustScope = fullLook ? "every relation" : ownRelation(event, TRUST_ENDPOINT);',
    replace: 'const trustScope = fullLook ? "every relation" : undefined;',
    defect:
      "a trust_certificate relation's own hooks publish nothing: a new consumer waits an hour",
    tests: ["tests/e2e/trust-bundle.test.ts"],
  },
];
