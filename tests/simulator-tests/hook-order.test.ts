// The order in which an idle unit runs what it owes, as Juju's resolvers pick it
// (internal/worker/uniter/resolver.go NextOp and nextOp, relation/resolver.go): config-changed
// before any relation hook; within a relation departed, broken, the application's -changed,
// joined, then the units' -changed; across relations the order of a Go map, which the simulator
// draws from its seed.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Simulator, type HookLogEntry } from "../simulator/index.ts";
import { copyFixture, shq, writeScript } from "./helpers.ts";

const line = (h: HookLogEntry): string =>
  [h.unit, h.name, h.remoteUnit ? `remote=${h.remoteUnit}` : `app=${h.remoteApp}`].join(" ");

const since = (sim: Simulator, mark: number, unit: string): string[] =>
  sim
    .hookLog()
    .slice(mark)
    .filter((h) => h.unit === unit)
    .map(line);

function failsOnce(): string {
  const counter = shq(join(mkdtempSync(join(tmpdir(), "runs-")), "n"));
  return `n=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n + 1)) > ${counter}\n[ "$n" -ge 1 ] || exit 1\n`;
}

async function related(seed?: number) {
  const sim = await Simulator.create(seed === undefined ? {} : { seed });
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  const id = await sim.integrate("app:served", "other:upstream");
  return { sim, charm, id };
}

test("an idle unit runs the application's -changed before a unit's -changed of the same relation", async () => {
  const { sim, id } = await related();
  const mark = sim.hookLog().length;
  sim.setRelationData(id, "other/0", { a: "1" }, { notify: true });
  sim.setRelationData(id, "other", { b: "1" }, { notify: true });
  await sim.settle();
  assert.deepEqual(since(sim, mark, "app/0"), [
    "app/0 served-relation-changed app=other",
    "app/0 served-relation-changed remote=other/0",
  ]);
});

test("out of error, config-changed runs before the relation hooks it owes, and each bag's -changed runs once", async () => {
  const { sim, charm, id } = await related();
  writeScript(charm, "update-status", failsOnce());
  await sim.runHook("app/0", "update-status");
  writeScript(charm, "update-status", "");
  const mark = sim.hookLog().length;
  sim.setRelationData(id, "other/0", { a: "1" }, { notify: true });
  sim.setRelationData(id, "other", { b: "1" }, { notify: true });
  sim.setRelationData(id, "other/0", { a: "2" }, { notify: true });
  await sim.config("app", { greeting: "changed" });
  await sim.settle();
  assert.deepEqual(since(sim, mark, "app/0"), [], "nothing runs while the unit is in error");
  await sim.resolve("app/0");
  assert.deepEqual(since(sim, mark, "app/0"), [
    "app/0 update-status app=",
    "app/0 config-changed app=",
    "app/0 served-relation-changed app=other",
    "app/0 served-relation-changed remote=other/0",
  ]);
});

test("hooks owed on two relations run in an order drawn from the seed; one seed gives one order", async () => {
  async function order(seed: number): Promise<string> {
    const { sim, id } = await related(seed);
    const second = await sim.integrate("app:upstream", "other:served");
    const mark = sim.hookLog().length;
    sim.setRelationData(id, "other", { a: "1" }, { notify: true });
    sim.setRelationData(second, "other", { a: "1" }, { notify: true });
    await sim.settle();
    return since(sim, mark, "app/0").join(", ");
  }
  const seen = new Map<string, number[]>();
  for (let seed = 1; seed <= 8 && seen.size < 2; seed++) {
    const got = await order(seed);
    seen.set(got, [...(seen.get(got) ?? []), seed]);
  }
  assert.equal(seen.size, 2, `one order only: ${[...seen.keys()].join(" | ")}`);
  const [first] = [...seen.values()][0]!;
  assert.equal(await order(first!), [...seen.keys()][0]);
});
