import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FULL_LOOK_INTERVAL_MS,
  KeptSummary,
  MAX_ENTRY_BYTES,
  MAX_SUMMARY_BYTES,
  SUMMARY_VERSION,
  type SummaryBasis,
} from "../../src/charm/summary/kept-summary.ts";
import {
  parseSummary,
  serializeSummary,
  type RelationSummary,
} from "../../src/charm/summary/relation-summary.ts";
import { CharmState, HookTools, Logger, type ToolRunner } from "../../src/juju/index.ts";

/** A unit's charm state behind the hook tools, committed by `commit()` as Juju would. */
function unitState(initial: Record<string, string> = {}) {
  const stored: Record<string, string> = { ...initial };
  const runner: ToolRunner = (tool, args, stdin) => {
    if (tool === "state-get") {
      const empty = Object.keys(stored).length === 0;
      return { exitCode: 0, stdout: JSON.stringify(empty ? null : stored), stderr: "" };
    }
    if (tool === "state-set") Object.assign(stored, JSON.parse(stdin ?? "{}"));
    if (tool === "state-delete") delete stored[args[0] ?? ""];
    return { exitCode: 0, stdout: "", stderr: "" };
  };
  const debug: string[] = [];
  const open = () => {
    const tools = new HookTools(runner);
    const state = new CharmState(tools);
    const log = new Logger(tools, { debugLines: (line) => debug.push(line) });
    return { state, log };
  };
  return { stored, debug, open };
}

const LEADER: SummaryBasis = { role: "leader", policy: "none" };
const summary = (outstanding: number, holders = 0): RelationSummary => ({
  outstanding,
  violating: 0,
  refused: 0,
  overBudget: false,
  expiries: Array.from({ length: holders }, (_, i) => [1_900_000_000 + i, `app/${i}`] as const),
});

function rebuilt(summaries: Map<number, RelationSummary>, now = 1_000_000) {
  const unit = unitState();
  const { state, log } = unit.open();
  KeptSummary.open(state, LEADER, log).rebuild(LEADER, summaries, now);
  state.commit();
  return unit;
}

describe("the summary kept in charm state", () => {
  it("is not trusted before a full look has built it, and a full look is then due", () => {
    const { state, log } = unitState().open();
    const kept = KeptSummary.open(state, LEADER, log);
    assert.equal(kept.trusted, false);
    assert.equal(kept.fullLookDue(0), true);
    assert.equal(kept.get(1), undefined);
  });

  it("keeps one key per relation and one for what it was built under, read back as written", () => {
    const unit = rebuilt(
      new Map([
        [3, summary(2, 1)],
        [7, summary(0)],
      ]),
    );
    assert.deepEqual(Object.keys(unit.stored).sort(), [
      "summary",
      "summary/certificates:3",
      "summary/certificates:7",
    ]);
    assert.deepEqual(JSON.parse(unit.stored["summary"]!), {
      version: SUMMARY_VERSION,
      role: "leader",
      policy: "none",
      "full-look": 1_000_000,
    });
    const { state, log } = unit.open();
    const kept = KeptSummary.open(state, LEADER, log);
    assert.equal(kept.trusted, true);
    assert.deepEqual(kept.get(3), summary(2, 1));
    assert.deepEqual(kept.get(7), summary(0));
  });

  it("is not trusted when built by another version, for another role or under another policy", () => {
    const unit = rebuilt(new Map([[3, summary(1)]]));
    const others: SummaryBasis[] = [
      { role: "standby", policy: "none" },
      { role: "leader", policy: "sha256 of a policy" },
    ];
    for (const basis of others) {
      const { state, log } = unit.open();
      assert.equal(KeptSummary.open(state, basis, log).trusted, false, JSON.stringify(basis));
    }
    const meta = JSON.parse(unit.stored["summary"]!) as Record<string, unknown>;
    for (const text of [
      JSON.stringify({ ...meta, version: SUMMARY_VERSION + 1 }),
      "not json",
      JSON.stringify({ ...meta, "full-look": "yesterday" }),
    ]) {
      unit.stored["summary"] = text;
      const { state, log } = unit.open();
      assert.equal(KeptSummary.open(state, LEADER, log).trusted, false, text);
    }
  });

  it("asks for a full look an hour after the last one, or when that one is in the future", () => {
    const unit = rebuilt(new Map(), 5_000_000);
    const { state, log } = unit.open();
    const kept = KeptSummary.open(state, LEADER, log);
    assert.equal(kept.fullLookDue(5_000_000 + FULL_LOOK_INTERVAL_MS - 1), false);
    assert.equal(kept.fullLookDue(5_000_000 + FULL_LOOK_INTERVAL_MS), true);
    assert.equal(kept.fullLookDue(4_999_999), true);
  });

  it("updates one relation, forgets the relations that are gone, and reads a bad entry as none", () => {
    const unit = rebuilt(
      new Map([
        [3, summary(1)],
        [7, summary(2)],
      ]),
    );
    let { state, log } = unit.open();
    let kept = KeptSummary.open(state, LEADER, log);
    kept.put(3, summary(5));
    kept.keepOnly([3]);
    state.commit();
    assert.deepEqual(Object.keys(unit.stored).sort(), ["summary", "summary/certificates:3"]);
    unit.stored["summary/certificates:3"] = '{"outstanding": -1}';
    ({ state, log } = unit.open());
    kept = KeptSummary.open(state, LEADER, log);
    assert.equal(kept.get(3), undefined);
  });

  it("changes nothing through put() when it is not trusted: a full look rebuilds it whole", () => {
    const unit = unitState();
    const { state, log } = unit.open();
    KeptSummary.open(state, LEADER, log).put(3, summary(1));
    state.commit();
    assert.deepEqual(unit.stored, {});
  });

  it("does not keep a relation whose entry passes its bound, and says so in the debug log", () => {
    // About 20 bytes an entry: a few thousand certificates in one relation.
    const huge = summary(0, Math.ceil(MAX_ENTRY_BYTES / 20));
    assert.ok(serializeSummary(huge).length > MAX_ENTRY_BYTES);
    const unit = rebuilt(
      new Map([
        [3, summary(1)],
        [4, huge],
      ]),
    );
    assert.deepEqual(Object.keys(unit.stored).sort(), ["summary", "summary/certificates:3"]);
    const { state, log } = unit.open();
    const kept = KeptSummary.open(state, LEADER, log);
    assert.equal(kept.get(4), undefined, "read on every hook instead");
    kept.put(3, huge);
    assert.equal(state.get("summary/certificates:3"), undefined, "a grown entry is dropped");
    assert.ok(unit.debug.some((line) => /certificates:3.*read on every hook/.test(line)));
  });

  it("stops keeping relations once the whole summary would pass its bound", () => {
    let holders = 1000;
    while (serializeSummary(summary(0, holders + 100)).length < MAX_ENTRY_BYTES - 100)
      holders += 100;
    const big = summary(0, holders);
    const bytes = serializeSummary(big).length + "summary/certificates:10".length;
    const count = Math.ceil(MAX_SUMMARY_BYTES / bytes) + 2;
    const unit = rebuilt(new Map(Array.from({ length: count }, (_, i) => [i + 10, big])));
    const total = Object.entries(unit.stored).reduce(
      (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
      0,
    );
    assert.ok(total <= MAX_SUMMARY_BYTES, `${total} bytes kept`);
    const keptCount = Object.keys(unit.stored).length - 1;
    assert.ok(keptCount >= count - 4 && keptCount < count, `${keptCount} of ${count} kept`);
    for (const [key, value] of Object.entries(unit.stored)) {
      if (key !== "summary") assert.deepEqual(parseSummary(value), big);
    }
  });

  it("reads back exactly what it wrote, and nothing that is not an entry", () => {
    const entry = summary(3, 2);
    assert.deepEqual(parseSummary(serializeSummary({ ...entry, overBudget: true })), {
      ...entry,
      overBudget: true,
    });
    const good = JSON.parse(serializeSummary(entry)) as Record<string, unknown>;
    const bad: unknown[] = [
      "[]",
      "null",
      "{",
      { ...good, outstanding: -1 },
      { ...good, violating: 1.5 },
      { ...good, refused: "2" },
      { ...good, "over-budget": "no" },
      { ...good, expiries: {} },
      { ...good, expiries: [[1.5, "a/0"]] },
      { ...good, expiries: [[1, 2]] },
      { ...good, expiries: [[1]] },
      { outstanding: 1, violating: 0, refused: 0, expiries: [] },
    ];
    for (const text of bad) {
      const written = typeof text === "string" ? text : JSON.stringify(text);
      assert.equal(parseSummary(written), undefined, written);
    }
  });
});
