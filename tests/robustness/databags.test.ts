// Property: whatever requirers leave in their databags, every hook exits 0, good requests are
// still listed, certificates we published for CSRs still requested stay byte for byte, and the
// log names each databag it skipped and why. In-process, so the volume is high.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  parseProvidedCertificates,
  serializeProvidedCertificates,
  type ProvidedCertificate,
} from "../../src/interface/provided-certificates.ts";
import { writesCaFlag } from "../requirers/writers.ts";
import { hostileBag, libraryBag, type HostileBag } from "./generators.ts";
import { ENDPOINT, MemoryJuju, wroteRelation, type Bag, type LogLine } from "./memory-juju.ts";
import { buildPool, type Pool } from "./pool.ts";
import { counter, report } from "./tally.ts";

const pool: Pool = buildPool(20);
const SPARE = pool.good.slice(14, 18).map((entry) => entry.csr);
const STALE = [18, 19] as const;

/** Seven databags: three units and the app of relation 0, two units and the app of relation 1. */
const SLOTS = [
  { relation: 0, app: "alpha", unit: "alpha/0" },
  { relation: 0, app: "alpha", unit: "alpha/1" },
  { relation: 0, app: "alpha", unit: "alpha/2" },
  { relation: 0, app: "alpha", unit: undefined },
  { relation: 1, app: "beta", unit: "beta/0" },
  { relation: 1, app: "beta", unit: "beta/1" },
  { relation: 1, app: "beta", unit: undefined },
] as const;

interface GoodRequest {
  readonly index: number;
  readonly isCa: boolean;
  readonly answered: boolean;
}

type Slot =
  | {
      readonly good: true;
      readonly requests: readonly GoodRequest[];
      readonly bag: Bag;
      readonly caFlag: boolean;
    }
  | { readonly good: false; readonly hostile: HostileBag };

function slotArbitrary(position: number): fc.Arbitrary<Slot> {
  const own = [2 * position, 2 * position + 1];
  const good = fc
    .subarray(own)
    .chain((indices) =>
      fc.tuple(
        fc.constant(indices),
        fc.array(fc.boolean(), { minLength: indices.length, maxLength: indices.length }),
        fc.array(fc.boolean(), { minLength: indices.length, maxLength: indices.length }),
      ),
    )
    .chain(([indices, caFlags, answered]) => {
      const csrs = indices.map((index, i) => ({ csr: pool.good[index]!.csr, isCa: caFlags[i]! }));
      return libraryBag(csrs).map(({ bag, version }): Slot => {
        const caFlag = writesCaFlag(version);
        return {
          good: true,
          caFlag,
          bag,
          requests: indices.map((index, i) => ({
            index,
            isCa: caFlag && caFlags[i]!,
            answered: answered[i]!,
          })),
        };
      });
    });
  const hostile = hostileBag(pool, SPARE).map((h): Slot => ({ good: false, hostile: h }));
  return fc.oneof({ weight: 3, arbitrary: good }, { weight: 2, arbitrary: hostile });
}

const modelArbitrary = fc.tuple(...SLOTS.map((_, i) => slotArbitrary(i)));

const HOOKS = [
  "update-status",
  "config-changed",
  "leader-elected",
  "upgrade-charm",
  "start",
  "certificates-relation-changed",
  "certificates-relation-joined",
  "certificates-relation-created",
] as const;
const hookArbitrary = fc.record({
  name: fc.constantFrom(...HOOKS),
  relation: fc.constantFrom(0, 1),
  remote: fc.constantFrom(0, 1, 2),
});

function entryFor(index: number): ProvidedCertificate {
  const ca = pool.ca.pem.trim();
  const { csr, certificate } = pool.good[index]!;
  return { csr, certificate, ca, chain: [certificate, ca], revoked: false };
}

function slotBag(slot: Slot): Bag {
  return slot.good ? slot.bag : slot.hostile.bag;
}

/** Builds the model: requirer databags from the slots, our certificates from the answered ones. */
function buildModel(slots: readonly Slot[], staleSeeded: readonly boolean[]): MemoryJuju {
  const juju = new MemoryJuju();
  for (const relationId of [0, 1]) {
    const app = relationId === 0 ? "alpha" : "beta";
    const units: Record<string, Bag> = {};
    let appData: Bag = {};
    SLOTS.forEach((where, i) => {
      if (where.relation !== relationId) return;
      if (where.unit === undefined) appData = { ...slotBag(slots[i]!) };
      else units[where.unit] = { ...slotBag(slots[i]!) };
    });
    juju.addRelation(app, units, appData);
    const answered = SLOTS.flatMap((where, i) => {
      const slot = slots[i]!;
      if (where.relation !== relationId || !slot.good) return [];
      return slot.requests.filter((r) => r.answered).map((r) => entryFor(r.index));
    });
    if (staleSeeded[relationId]) answered.push(entryFor(STALE[relationId]!));
    juju.relation(relationId).ourAppData["certificates"] = serializeProvidedCertificates(answered);
  }
  return juju;
}

/** Replaces the requirer databags by the new slots (our databag stays as published). */
function rewrite(juju: MemoryJuju, slots: readonly Slot[]): void {
  SLOTS.forEach((where, i) => {
    const relation = juju.relation(where.relation);
    if (where.unit === undefined) relation.remoteAppData = { ...slotBag(slots[i]!) };
    else relation.units[where.unit] = { ...slotBag(slots[i]!) };
  });
}

function entriesOf(value: string | undefined): Map<string, unknown> {
  const raw = JSON.parse(value ?? "[]") as { certificate_signing_request: string }[];
  return new Map(raw.map((entry) => [entry.certificate_signing_request, entry]));
}

function sourceName(i: number): string {
  const where = SLOTS[i]!;
  return `${where.unit ?? `application ${where.app}`} on ${ENDPOINT}:${where.relation}`;
}

const tallies = counter();

/** The invariants after one hook, given the slots it saw and what we had published before. */
async function checkAfterHook(
  juju: MemoryJuju,
  slots: readonly Slot[],
  before: Record<number, string | undefined>,
  logs: readonly LogLine[],
): Promise<void> {
  const lines = logs.flatMap((line) =>
    line.message.split("\n").map((text) => ({ level: line.level, text })),
  );
  for (const line of lines) {
    assert.ok(
      line.text.length < 1000,
      `a log line quotes requirer data (${line.text.length} chars)`,
    );
  }
  for (const relationId of [0, 1]) {
    const value = juju.relation(relationId).ourAppData["certificates"];
    assert.notEqual(value, undefined, "certificates is always written");
    assert.deepEqual(parseProvidedCertificates({ certificates: value! }).problems, []);
    const was = entriesOf(before[relationId]);
    const now = entriesOf(value);
    const inRelation = SLOTS.map((where, i) => ({ where, slot: slots[i]! })).filter(
      ({ where }) => where.relation === relationId,
    );
    const requested = new Set(
      inRelation.flatMap(({ slot }) =>
        slot.good ? slot.requests.map((r) => pool.good[r.index]!.csr) : [],
      ),
    );
    for (const csr of requested) {
      if (was.has(csr)) {
        assert.deepEqual(
          now.get(csr),
          was.get(csr),
          "a certificate still requested was altered or lost",
        );
        tallies.add("certificates kept");
      } else {
        assert.equal(now.has(csr), false, "reconcile published a certificate nobody provided");
      }
    }
    for (const csr of was.keys()) {
      if (requested.has(csr) || !now.has(csr)) continue;
      // An answer nobody asks for survives only when some databag could not be read.
      assert.equal(
        inRelation.some(({ slot }) => !slot.good),
        true,
        "an answer to a withdrawn CSR was kept although every databag was readable",
      );
      assert.ok(
        lines.some((l) =>
          l.text.includes(`keeping every certificate on ${ENDPOINT}:${relationId}`),
        ),
        "kept an unrequested certificate without saying why",
      );
    }
    if ([...now.keys()].every((csr) => was.has(csr)) && now.size === was.size) {
      assert.equal(value, before[relationId], "nothing changed, yet the value was rewritten");
    }
  }
  SLOTS.forEach((_, i) => {
    const slot = slots[i]!;
    if (slot.good || !slot.hostile.warns) return;
    const source = sourceName(i);
    assert.ok(
      lines.some((l) => l.level === "WARNING" && l.text.includes(`of ${source}: `)),
      `no warning names ${source} (${slot.hostile.kind})`,
    );
  });

  const listing = await juju.action("get-outstanding-certificate-requests", {});
  assert.equal(listing.failed, undefined, listing.failed);
  assert.equal(wroteRelation(listing.calls), false, "a listing wrote relation data");
  const listed = JSON.parse(listing.results["result"] ?? "[]") as {
    relation_id: number;
    application_name: string;
    unit_name: string | null;
    csr: string;
    is_ca: boolean;
  }[];
  SLOTS.forEach((where, i) => {
    const slot = slots[i]!;
    if (!slot.good) {
      // A good request beside bad items in the same databag is listed all the same. When
      // several databags of the relation hold the same CSR, it is listed once, for one of them.
      for (const csr of slot.hostile.good) {
        const holders = SLOTS.filter((other, j) => {
          const held = slots[j]!;
          return other.relation === where.relation && !held.good && held.hostile.good.includes(csr);
        });
        assert.ok(
          listed.some(
            (item) =>
              item.csr === csr &&
              item.relation_id === where.relation &&
              item.application_name === where.app &&
              (holders.length > 1 || item.unit_name === (where.unit ?? null)) &&
              !item.is_ca,
          ),
          `${sourceName(i)}: a good request beside bad ones is missing from the outstanding list`,
        );
        tallies.add("good requests beside bad ones listed");
      }
      return;
    }
    const published = entriesOf(juju.relation(where.relation).ourAppData["certificates"]);
    for (const request of slot.requests) {
      const csr = pool.good[request.index]!.csr;
      const found = listed.filter((item) => item.csr === csr);
      if (published.has(csr)) {
        assert.equal(found.length, 0, "an answered request is listed as outstanding");
        continue;
      }
      assert.deepEqual(
        found.map((item) => [item.relation_id, item.application_name, item.unit_name, item.is_ca]),
        [[where.relation, where.app, where.unit ?? null, request.isCa]],
        `${sourceName(i)}: a good request is missing from the outstanding list`,
      );
      tallies.add("good requests listed");
    }
  });
}

describe("hostile requirer databags (in-process, generated)", () => {
  it("every hook exits 0, keeps published certificates, lists good requests, logs what it skips", async (t) => {
    await fc.assert(
      fc.asyncProperty(
        modelArbitrary,
        modelArbitrary,
        fc.tuple(fc.boolean(), fc.boolean()),
        hookArbitrary,
        hookArbitrary,
        async (first, second, stale, hook1, hook2) => {
          tallies.add("cases");
          for (const slot of [...first, ...second]) {
            tallies.add(slot.good ? "good databags" : `hostile: ${slot.hostile.kind}`);
          }
          const juju = buildModel(first, stale);
          for (const [slots, hook] of [
            [first, hook1],
            [second, hook2],
          ] as const) {
            if (slots === second) rewrite(juju, second);
            const before = juju.published();
            const relationHook = hook.name.startsWith("certificates-");
            const remote = relationHook
              ? Object.keys(juju.relation(hook.relation).units)[hook.remote]
              : undefined;
            const run = await juju.hook(
              hook.name,
              relationHook
                ? { relationId: hook.relation, ...(remote ? { remoteUnit: remote } : {}) }
                : {},
            );
            tallies.add("hooks run");
            assert.equal(run.exitCode, 0, JSON.stringify(run.logs.slice(-3)));
            // Juju also runs -changed for every relation whose databags changed: the hook under
            // test looks at its own relation, or at all of them when it makes a full look.
            const logs = [...run.logs];
            for (const relationId of [0, 1]) {
              if (relationHook && relationId === hook.relation) continue;
              const changed = await juju.hook("certificates-relation-changed", { relationId });
              assert.equal(changed.exitCode, 0, JSON.stringify(changed.logs.slice(-3)));
              logs.push(...changed.logs);
            }
            await checkAfterHook(juju, slots, before, logs);
          }
        },
      ),
      {
        numRuns: 250,
        seed: Number(process.env["ROBUSTNESS_SEED"] ?? 20240611),
        includeErrorInReport: true,
      },
    );
    report(t, "databag property", tallies);
  });
});
