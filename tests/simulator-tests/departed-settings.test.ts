// A unit that departs a relation, or is removed, leaves its settings behind until the relation
// itself is removed: the controller keeps the settings document for the relation's lifetime
// (state/relationunit.go ReadSettings; apiserver/facades/agent/uniter/uniter.go checkRemoteUnit
// does not need the unit to exist). Whichever order the units take turns in, -departed can read
// the departing unit.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { call, copyFixture, writeScript, type Fixture } from "./helpers.ts";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/** app/0 served to other/0 and other/1 on relation 2; app's -departed records what it read. */
async function model(seed: number): Promise<Fixture> {
  const sim = await Simulator.create({ seed });
  const charm = copyFixture();
  writeScript(
    charm,
    "served-relation-departed",
    'relation-get --format=json - "$JUJU_REMOTE_UNIT" >departed.out 2>&1; echo $? >>departed.out\n',
  );
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 2 });
  await sim.integrate("app:served", "other:upstream");
  sim.setRelationData(2, "other/1", { ...sim.relationData(2, "other/1"), said: "bye" });
  return { sim, charm };
}

describe("a departed unit's settings stay readable until the relation is removed", () => {
  for (const seed of SEEDS) {
    test(`-departed reads the removed unit's settings (seed ${seed})`, async () => {
      const fx = await model(seed);
      await fx.sim.removeUnit("other/1");
      const departed = fx.sim
        .hookLog()
        .filter((h) => h.unit === "app/0" && h.name === "served-relation-departed");
      assert.equal(departed.length, 1);
      const out = readFileSync(join(fx.sim.charmDir("app/0"), "departed.out"), "utf8");
      assert.match(out, /"said":"bye"/);
      assert.match(out, /\n0\n$/);
    });
  }

  test("later hooks read it by name too; once the relation is removed it is gone", async () => {
    const fx = await model(1);
    await fx.sim.removeUnit("other/1");
    const after = await call(fx, "app/0", ["relation-get", "-r", "2", "said", "other/1"]);
    assert.deepEqual(after, { code: 0, stdout: "bye\n", stderr: "" });
    assert.deepEqual(fx.sim.relationData(2, "other/1")["said"], "bye");
    await fx.sim.removeRelation(2);
    assert.equal(
      fx.sim.state().relations.some((r) => r.id === 2),
      false,
    );
  });
});
