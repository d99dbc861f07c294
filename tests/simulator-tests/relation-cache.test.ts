// What relation-get shows a hook of a remote unit's settings: the agent's cached copy, refreshed
// only by that unit's own -joined or -changed on our unit (or forgotten when it departs), as
// Juju 3.6's context factory does (runner/context/contextfactory.go, cache.go). Application bags
// and our own bags are read afresh in every hook and action.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import {
  call,
  callsScript,
  copyFixture,
  inAction,
  inHook,
  readCalls,
  removeScript,
  writeScript,
  type Fixture,
} from "./helpers.ts";

/** app (appUnits) served to other (otherUnits) on relation 2; peers are relations 0 and 1. */
async function related(appUnits: number, otherUnits: number): Promise<Fixture> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: appUnits });
  await sim.deploy("other", charm, { units: otherUnits });
  await sim.integrate("app:served", "other:upstream");
  return { sim, charm };
}

const RELATION = 2;

/** Changes one key of a unit's committed bag; with notify its watchers owe a -changed. */
function change(fx: Fixture, unit: string, key: string, value: string, notify = true): void {
  const bag = { ...fx.sim.relationData(RELATION, unit), [key]: value };
  fx.sim.setRelationData(RELATION, unit, bag, { notify });
}

async function read(fx: Fixture, unit: string, target: string, key: string): Promise<string> {
  const r = await call(fx, unit, ["relation-get", "-r", String(RELATION), key, target]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe("remote unit settings come from the agent's cache", () => {
  test("a hook sees a member's old settings until that member's -changed runs on its unit", async () => {
    const fx = await related(2, 1);
    change(fx, "other/0", "v", "1");
    await fx.sim.settle();
    assert.equal(await read(fx, "app/0", "other/0", "v"), "1\n");
    change(fx, "other/0", "v", "2");
    assert.equal(await read(fx, "app/0", "other/0", "v"), "1\n", "served from app/0's cache");
    assert.equal(await read(fx, "app/1", "other/0", "v"), "2\n", "app/1 had not read it yet");
    await fx.sim.settle();
    assert.equal(await read(fx, "app/0", "other/0", "v"), "2\n", "refreshed by its -changed");
  });

  test("a member's -changed refreshes that member only", async () => {
    const fx = await related(1, 2);
    change(fx, "other/0", "v", "1");
    change(fx, "other/1", "v", "1");
    await fx.sim.settle();
    await read(fx, "app/0", "other/0", "v");
    await read(fx, "app/0", "other/1", "v");
    change(fx, "other/0", "v", "2");
    change(fx, "other/1", "v", "2");
    const { results } = await inHook(
      fx,
      "app/0",
      "served-relation-changed",
      [
        ["relation-get", "v"],
        ["relation-get", "v", "other/1"],
      ],
      { relationId: RELATION, remoteUnit: "other/0", remoteApp: "other" },
    );
    assert.deepEqual(
      results.map((r) => r.stdout),
      ["2\n", "1\n"],
    );
  });

  test("actions share the hooks' cache, both ways", async () => {
    const fx = await related(1, 1);
    change(fx, "other/0", "v", "1");
    await fx.sim.settle();
    await read(fx, "app/0", "other/0", "v");
    change(fx, "other/0", "v", "2", false);
    const action = await inAction(fx, "app/0", "open", {}, [
      ["relation-get", "-r", String(RELATION), "v", "other/0"],
    ]);
    assert.equal(action.results[0]!.stdout, "1\n", "the action saw what a hook cached");

    const fresh = await related(1, 1);
    change(fresh, "other/0", "v", "1");
    await fresh.sim.settle();
    await inAction(fresh, "app/0", "open", {}, [
      ["relation-get", "-r", String(RELATION), "v", "other/0"],
    ]);
    change(fresh, "other/0", "v", "2", false);
    assert.equal(
      await read(fresh, "app/0", "other/0", "v"),
      "1\n",
      "a hook saw what the action cached",
    );
  });

  test("what a failed hook read stays cached", async () => {
    const fx = await related(1, 1);
    change(fx, "other/0", "v", "1");
    await fx.sim.settle();
    const out = mkdtempSync(join(tmpdir(), "calls-"));
    writeScript(
      fx.charm,
      "update-status",
      `${callsScript([["relation-get", "-r", String(RELATION), "v", "other/0"]], out)}exit 1\n`,
    );
    const failed = await fx.sim.runHook("app/0", "update-status");
    removeScript(fx.charm, "update-status");
    assert.equal(failed.exitCode, 1);
    assert.equal(readCalls(out, 1)[0]!.stdout, "1\n");
    change(fx, "other/0", "v", "2");
    // The unit is in error, so no -changed runs; an action still does.
    const action = await inAction(fx, "app/0", "open", {}, [
      ["relation-get", "-r", String(RELATION), "v", "other/0"],
    ]);
    assert.equal(action.results[0]!.stdout, "1\n");
  });

  test("in -departed the departing unit is no longer cached: its settings are read afresh", async () => {
    const fx = await related(1, 1);
    change(fx, "other/0", "v", "1");
    await fx.sim.settle();
    await read(fx, "app/0", "other/0", "v");
    change(fx, "other/0", "v", "2", false);
    const { results } = await inHook(
      fx,
      "app/0",
      "served-relation-departed",
      [
        ["relation-get", "v"],
        ["relation-list", "--format=json"],
      ],
      {
        relationId: RELATION,
        remoteUnit: "other/0",
        remoteApp: "other",
        departingUnit: "other/0",
      },
    );
    assert.deepEqual(
      results.map((r) => r.stdout),
      ["2\n", "[]\n"],
    );
  });
});

describe("what is read afresh in every hook", () => {
  test("the remote application's bag", async () => {
    const fx = await related(1, 1);
    fx.sim.setRelationData(RELATION, "other", { a: "1" }, { notify: true });
    await fx.sim.settle();
    const first = await call(fx, "app/0", ["relation-get", "-r", "2", "--app", "a", "other"]);
    fx.sim.setRelationData(RELATION, "other", { a: "2" }, { notify: true });
    const second = await call(fx, "app/0", ["relation-get", "-r", "2", "--app", "a", "other"]);
    assert.deepEqual([first.stdout, second.stdout], ["1\n", "2\n"]);
  });

  test("our own unit's bag, and a unit of our own application, which is no member", async () => {
    const fx = await related(2, 1);
    assert.equal(await read(fx, "app/0", "app/0", "mine"), "");
    assert.equal(await read(fx, "app/0", "app/1", "sibling"), "");
    change(fx, "app/0", "mine", "1", false);
    change(fx, "app/1", "sibling", "1", false);
    assert.equal(await read(fx, "app/0", "app/0", "mine"), "1\n");
    assert.equal(await read(fx, "app/0", "app/1", "sibling"), "1\n");
  });
});
