// Hook order for deploy, integrate, follow-up -changed hooks, unit and relation removal,
// leadership and config changes (spec §1.4), read from the simulator's hook log. Juju promises
// an order within one unit only, and within one relation of it: the simulator draws the order
// of units and of a unit's relations from its seed, so these tests check each unit's hooks, and
// each relation's where a unit has two.
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

/** The hooks of one unit, and of one relation endpoint of it if given. */
function of(hooks: string[], unit: string, endpoint?: string): string[] {
  return hooks.filter(
    (h) => h.startsWith(`${unit} `) && (endpoint === undefined || h.includes(` ${endpoint}-`)),
  );
}

/** The application's leader and the other unit of a two-unit application. */
function leaderAndFollower(sim: Simulator, app: string): [string, string] {
  const leader = sim.leader(app);
  assert.ok(leader, `${app} has no leader`);
  return [leader, leader === `${app}/0` ? `${app}/1` : `${app}/0`];
}

test("deploy runs install, peer -created, leadership, config-changed, start, then peers meet", async () => {
  const sim = await Simulator.create();
  await sim.deploy("app", copyFixture(), { units: 2 });
  const hooks = since(sim, 0);
  const [leader, follower] = leaderAndFollower(sim, "app");
  assert.deepEqual(of(hooks, leader), [
    `${leader} install`,
    `${leader} cluster-relation-created`,
    `${leader} leader-elected`,
    `${leader} config-changed`,
    `${leader} start`,
    `${leader} cluster-relation-joined remote=${follower}`,
    `${leader} cluster-relation-changed remote=${follower}`,
  ]);
  assert.deepEqual(of(hooks, follower), [
    `${follower} install`,
    `${follower} cluster-relation-created`,
    `${follower} leader-settings-changed`,
    `${follower} config-changed`,
    `${follower} start`,
    `${follower} cluster-relation-joined remote=${leader}`,
    `${follower} cluster-relation-changed remote=${leader}`,
  ]);
  assert.equal(sim.state().units[follower]!.started, true);
});

test("integrate: -created, then each unit meets those already in the relation; writes owe -changed", async () => {
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
  const hooks = since(sim, mark);
  assert.deepEqual(of(hooks, "other/0"), [
    "other/0 upstream-relation-created",
    "other/0 upstream-relation-joined remote=app/0",
    "other/0 upstream-relation-changed remote=app/0",
  ]);
  // Whoever goes first enters the scope alone. If other/0 did, app/0 met it at once and then
  // owes a -changed for each bag other/0 wrote in its -joined; if app/0 did, it meets other/0
  // once other/0 has written, and the application's -changed comes before joins
  // (relation/resolver.go).
  const appFirst = [
    "app/0 served-relation-created",
    "app/0 served-relation-changed",
    "app/0 served-relation-joined remote=other/0",
    "app/0 served-relation-changed remote=other/0",
  ];
  const otherFirst = [
    "app/0 served-relation-created",
    "app/0 served-relation-joined remote=other/0",
    "app/0 served-relation-changed remote=other/0",
    "app/0 served-relation-changed",
    "app/0 served-relation-changed remote=other/0",
  ];
  const appHooks = of(hooks, "app/0");
  assert.ok(
    [appFirst, otherFirst].some((expected) => expected.join() === appHooks.join()),
    appHooks.join("\n"),
  );
  const appChanged = sim
    .hookLog()
    .slice(mark)
    .find((h) => h.unit === "app/0" && h.name === "served-relation-changed" && !h.remoteUnit)!;
  assert.equal(appChanged.remoteApp, "other");
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

test("addUnit: deploy sequence on the new unit, which meets the others, then they meet it", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  assert.equal(await sim.addUnit("app"), "app/1");
  const hooks = since(sim, mark);
  const newUnit = of(hooks, "app/1");
  assert.deepEqual(newUnit.slice(0, 6).sort(), [
    "app/1 cluster-relation-created",
    "app/1 config-changed",
    "app/1 install",
    "app/1 leader-settings-changed",
    "app/1 served-relation-created",
    "app/1 start",
  ]);
  assert.deepEqual(
    newUnit.slice(0, 6).filter((h) => !h.includes("-relation-")),
    ["app/1 install", "app/1 leader-settings-changed", "app/1 config-changed", "app/1 start"],
  );
  assert.deepEqual(of(hooks, "app/1", "cluster").slice(1), [
    "app/1 cluster-relation-joined remote=app/0",
    "app/1 cluster-relation-changed remote=app/0",
  ]);
  assert.deepEqual(of(hooks, "app/1", "served").slice(1), [
    "app/1 served-relation-joined remote=other/0",
    "app/1 served-relation-changed remote=other/0",
  ]);
  assert.equal(newUnit.length, 10);
  assert.deepEqual(of(hooks, "app/0"), [
    "app/0 cluster-relation-joined remote=app/1",
    "app/0 cluster-relation-changed remote=app/1",
  ]);
  assert.deepEqual(of(hooks, "other/0"), [
    "other/0 upstream-relation-joined remote=app/1",
    "other/0 upstream-relation-changed remote=app/1",
  ]);
});

test("removeRelation: each unit departs each remote unit, then breaks the relation", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 2 });
  const id = await sim.integrate("app:served", "other:upstream");
  const mark = sim.hookLog().length;
  await sim.removeRelation(id);
  const hooks = since(sim, mark);
  assert.deepEqual(of(hooks, "app/0"), [
    "app/0 served-relation-departed remote=other/0 departing=other/0",
    "app/0 served-relation-departed remote=other/1 departing=other/1",
    "app/0 served-relation-broken",
  ]);
  for (const unit of ["other/0", "other/1"]) {
    assert.deepEqual(of(hooks, unit), [
      `${unit} upstream-relation-departed remote=app/0 departing=app/0`,
      `${unit} upstream-relation-broken`,
    ]);
  }
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
  const [old, next] = leaderAndFollower(sim, "app");
  const mark = sim.hookLog().length;
  await sim.removeUnit(old);
  const hooks = since(sim, mark);
  // The dying unit breaks every relation (its two in an order from the seed), then stops.
  const dying = of(hooks, old);
  assert.deepEqual(dying.slice(0, 3).sort(), [
    `${old} cluster-relation-departed remote=${next} departing=${old}`,
    `${old} served-relation-broken`,
    `${old} served-relation-departed remote=other/0 departing=${old}`,
  ]);
  assert.deepEqual(of(dying, old, "served"), [
    `${old} served-relation-departed remote=other/0 departing=${old}`,
    `${old} served-relation-broken`,
  ]);
  assert.deepEqual(dying.slice(3), [`${old} stop`, `${old} remove`]);
  // Juju never breaks a peer relation. The others see the dying unit depart at once; the other
  // unit claims the lease only once the old leader is gone, which may be before or after its
  // -departed.
  assert.deepEqual(of(hooks, next).sort(), [
    `${next} cluster-relation-departed remote=${old} departing=${old}`,
    `${next} leader-elected`,
  ]);
  assert.deepEqual(of(hooks, "other/0"), [
    `other/0 upstream-relation-departed remote=${old} departing=${old}`,
  ]);
  assert.equal(hooks.length, 8);
  const state = sim.state();
  assert.equal(state.units[old], undefined);
  assert.equal(state.applications["app"]!.leader, next);
  assert.deepEqual(
    Object.keys(state.relations.find((r) => r.id === 2)!.views["other/0"]!.members),
    [next],
  );
});

test("setLeader and config fire leader-elected / leader-settings-changed and config-changed", async () => {
  const sim = await Simulator.create();
  await sim.deploy("app", copyFixture(), { units: 2 });
  const [leader, follower] = leaderAndFollower(sim, "app");
  let mark = sim.hookLog().length;
  await sim.setLeader(follower);
  // The old leader resigns (no hook) and, never having run it as leader, now runs
  // leader-settings-changed.
  assert.deepEqual(
    since(sim, mark).sort(),
    [`${leader} leader-settings-changed`, `${follower} leader-elected`].sort(),
  );
  mark = sim.hookLog().length;
  await sim.config("app", { port: 1, debug: "true" });
  assert.deepEqual(since(sim, mark).sort(), ["app/0 config-changed", "app/1 config-changed"]);
  assert.deepEqual(sim.state().applications["app"]!.config, { port: 1, debug: true });
  mark = sim.hookLog().length;
  await sim.config("app", { port: 1 });
  assert.deepEqual(since(sim, mark), [], "the same value again changes no hash");
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
