// Hook order for deploy, integrate, follow-up -changed hooks, unit and relation removal,
// leadership and config changes (spec §1.4), read from the simulator's hook log.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Simulator, type HookLogEntry } from "../simulator/index.ts";
import { copyFixture, writeScript } from "./helpers.ts";

const line = (h: HookLogEntry): string =>
  [
    h.unit,
    h.name,
    h.remoteUnit && `remote=${h.remoteUnit}`,
    h.departingUnit && `departing=${h.departingUnit}`,
  ]
    .filter(Boolean)
    .join(" ");

function since(sim: Simulator, mark: number): string[] {
  return sim.hookLog().slice(mark).map(line);
}

test("deploy runs install, peer -created, leadership, config-changed, start, then peers meet", async () => {
  const sim = await Simulator.create();
  await sim.deploy("app", copyFixture(), { units: 2 });
  assert.deepEqual(since(sim, 0), [
    "app/0 install",
    "app/0 cluster-relation-created",
    "app/0 leader-elected",
    "app/0 config-changed",
    "app/0 start",
    "app/1 install",
    "app/1 cluster-relation-created",
    "app/1 leader-settings-changed",
    "app/1 config-changed",
    "app/1 start",
    "app/0 cluster-relation-joined remote=app/1",
    "app/0 cluster-relation-changed remote=app/1",
    "app/1 cluster-relation-joined remote=app/0",
    "app/1 cluster-relation-changed remote=app/0",
  ]);
  assert.equal(sim.state().units["app/1"]!.started, true);
});

test("integrate: -created everywhere, joined/changed per pair, then writes fire -changed on the other side", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  // The requirer's leader answers every -changed of its side by publishing app data once.
  writeScript(
    charm,
    "upstream-relation-joined",
    'relation-set hello="$JUJU_REMOTE_UNIT"\nrelation-set --app ready=yes\n',
  );
  const mark = sim.hookLog().length;
  const id = await sim.integrate("app:served", "other:upstream");
  assert.equal(id, 2);
  assert.deepEqual(since(sim, mark), [
    "app/0 served-relation-created",
    "other/0 upstream-relation-created",
    "app/0 served-relation-joined remote=other/0",
    "app/0 served-relation-changed remote=other/0",
    "other/0 upstream-relation-joined remote=app/0",
    "other/0 upstream-relation-changed remote=app/0",
    "app/0 served-relation-changed remote=other/0",
    "app/0 served-relation-changed",
  ]);
  const last = sim.hookLog().at(-1)!;
  assert.equal(last.remoteApp, "other");
  assert.equal(sim.relationData(id, "other/0")["hello"], "app/0");
  assert.deepEqual(sim.relationData(id, "other"), { ready: "yes" });
});

test("a unit never gets -changed for its own writes, and rewriting the same values fires nothing", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  writeScript(
    charm,
    "any",
    'relation-set -r "$(relation-ids cluster)" same=1 2>/dev/null || true\n',
  );
  await sim.deploy("app", charm, { units: 2 });
  const mark = sim.hookLog().length;
  await sim.runHook("app/0", "update-status");
  await sim.settle();
  assert.deepEqual(since(sim, mark), ["app/0 update-status"]);
});

test("settle gives up on a ping-pong that never ends", async () => {
  const sim = await Simulator.create({ maxHooks: 40 });
  const charm = copyFixture();
  writeScript(charm, "cluster-relation-changed", "relation-set n=$(date +%s%N)\n");
  await assert.rejects(sim.deploy("app", charm, { units: 2 }), /did not settle after 40 hooks/);
});

test("addUnit: deploy sequence on the new unit, then it and its peers and relations meet", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  assert.equal(await sim.addUnit("app"), "app/1");
  assert.deepEqual(since(sim, mark), [
    "app/1 install",
    "app/1 cluster-relation-created",
    "app/1 served-relation-created",
    "app/1 leader-settings-changed",
    "app/1 config-changed",
    "app/1 start",
    "app/0 cluster-relation-joined remote=app/1",
    "app/0 cluster-relation-changed remote=app/1",
    "app/1 cluster-relation-joined remote=app/0",
    "app/1 cluster-relation-changed remote=app/0",
    "app/1 served-relation-joined remote=other/0",
    "app/1 served-relation-changed remote=other/0",
    "other/0 upstream-relation-joined remote=app/1",
    "other/0 upstream-relation-changed remote=app/1",
  ]);
});

test("removeRelation: departed for each remote unit, then broken on every unit", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 2 });
  const id = await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  await sim.removeRelation(id);
  assert.deepEqual(since(sim, mark), [
    "app/0 served-relation-departed remote=other/0 departing=other/0",
    "app/0 served-relation-departed remote=other/1 departing=other/1",
    "other/0 upstream-relation-departed remote=app/0 departing=app/0",
    "other/1 upstream-relation-departed remote=app/0 departing=app/0",
    "app/0 served-relation-broken",
    "other/0 upstream-relation-broken",
    "other/1 upstream-relation-broken",
  ]);
  assert.equal(
    sim.state().relations.some((r) => r.id === id),
    false,
  );
});

test("removeUnit: others see it depart; it departs, breaks, stops, is removed; a new leader is elected", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 2 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  await sim.removeUnit("app/0");
  assert.deepEqual(since(sim, mark), [
    "app/1 cluster-relation-departed remote=app/0 departing=app/0",
    "other/0 upstream-relation-departed remote=app/0 departing=app/0",
    "app/0 cluster-relation-departed remote=app/1 departing=app/0",
    "app/0 served-relation-departed remote=other/0 departing=app/0",
    "app/0 served-relation-broken",
    "app/0 stop",
    "app/0 remove",
    "app/1 leader-elected",
  ]);
  const state = sim.state();
  assert.equal(state.units["app/0"], undefined);
  assert.equal(state.applications["app"]!.leader, "app/1");
  assert.deepEqual(state.relations.find((r) => r.id === 2)!.views["other/0"]!.joined, ["app/1"]);
});

test("setLeader and config fire leader-elected / leader-settings-changed and config-changed", async () => {
  const sim = await Simulator.create();
  await sim.deploy("app", copyFixture(), { units: 2 });
  let mark = sim.hookLog().length;
  await sim.setLeader("app/1");
  assert.deepEqual(since(sim, mark), ["app/1 leader-elected", "app/0 leader-settings-changed"]);
  mark = sim.hookLog().length;
  await sim.config("app", { port: 1, debug: "true" });
  assert.deepEqual(since(sim, mark), ["app/0 config-changed", "app/1 config-changed"]);
  assert.deepEqual(sim.state().applications["app"]!.config, { port: 1, debug: true });
  await assert.rejects(sim.config("app", { nope: 1 }), /unknown option "nope"/);
  await assert.rejects(sim.config("app", { port: "abc" }), /expected int/);
});

test("setRelationData with notify queues the other side's -changed for settle", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  const id = await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  sim.setRelationData(id, "other", { a: "1" }, { notify: true });
  sim.setRelationData(id, "other/0", { b: "2" }, { notify: true });
  await sim.settle();
  assert.deepEqual(since(sim, mark), [
    "app/0 served-relation-changed",
    "app/0 served-relation-changed remote=other/0",
  ]);
});
