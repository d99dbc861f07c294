// The resolver alone, in process: which operation a unit's agent picks next from its own record
// and the model's state (resolver.ts, relation-resolver.ts after Juju 3.6's
// internal/worker/uniter/resolver.go, leadership/resolver.go and relation/resolver.go).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { configHash } from "../simulator/model.ts";
import { describeOperation, nextOperation } from "../simulator/resolver.ts";
import { seededRandom, shuffled } from "../simulator/seed.ts";
import { emptyState, type Relation, type State, type Unit } from "../simulator/state.ts";

function unitRecord(name: string, overrides: Partial<Unit> = {}): Unit {
  return {
    name,
    app: name.slice(0, name.indexOf("/")),
    machine: "0",
    address: "10.0.0.10",
    workload: { status: "unknown", message: "", data: {} },
    agent: { status: "idle", message: "", data: {} },
    history: [],
    logs: [],
    installed: true,
    started: true,
    stopped: false,
    dying: false,
    leader: false,
    leaderSettingsVersion: 1,
    configHash: "",
    statusSet: false,
    failedHook: null,
    queuedHook: null,
    retry: null,
    ...overrides,
  };
}

/** Apps "app" (leader app/0) and "db" (leader db/0), every unit started and up to date. */
function model(units: string[]): State {
  const state = emptyState("m", "uuid");
  for (const app of ["app", "db"]) {
    state.applications[app] = {
      name: app,
      charmDir: "/charm",
      endpoints: {},
      actions: {},
      options: {},
      config: {},
      leader: `${app}/0`,
      status: { status: "unknown", message: "", data: {} },
      version: "",
      nextUnit: 0,
      leaderSettings: {},
      leaderSettingsVersion: 1,
      leaseExpiring: false,
    };
  }
  for (const name of units) {
    const app = state.applications[name.slice(0, name.indexOf("/"))]!;
    state.units[name] = unitRecord(name, {
      configHash: configHash(app),
      leader: app.leader === name,
    });
  }
  return state;
}

function relate(state: State, id: number, overrides: Partial<Relation> = {}): Relation {
  const relation: Relation = {
    id,
    interface: "x",
    peer: false,
    ends: [
      { app: "app", endpoint: `db${id}` },
      { app: "db", endpoint: `app${id}` },
    ],
    unitData: {},
    appData: {},
    views: {},
    versions: {},
    dying: false,
    ...overrides,
  };
  state.relations.push(relation);
  return relation;
}

/** app's peer relation "cluster", id 1. */
const peerRelation = (state: State) =>
  relate(state, 1, {
    peer: true,
    ends: [
      { app: "app", endpoint: "cluster" },
      { app: "app", endpoint: "cluster" },
    ],
  });

const view = (members: Record<string, number> = {}, appMembers: Record<string, number> = {}) => ({
  created: true,
  members,
  appMembers,
  changedPending: null,
});

const next = (state: State, unit: string, seed = 1): string => {
  const op = nextOperation(state, unit, seededRandom(seed));
  return op === null ? "nothing" : describeOperation(unit, op);
};

describe("one relation's hooks come in relation/resolver.go's order", () => {
  test("the -changed owed after a -joined comes first, even before a departure", () => {
    const state = model(["app/0", "db/0", "db/1"]);
    const r = relate(state, 1);
    r.views["app/0"] = { ...view({ "db/0": 1, "db/1": 1 }), changedPending: "db/0" };
    r.views["db/0"] = view();
    state.units["db/1"]!.dying = true;
    assert.equal(next(state, "app/0"), "app/0 db1-relation-changed (db/0)");
  });

  test("departures, then -broken, then the application's -changed, then joins, then units' -changed", () => {
    const state = model(["app/0", "db/0", "db/1", "db/2"]);
    const r = relate(state, 1);
    r.views["app/0"] = view({ "db/0": 1, "db/1": 1 }, { db: 1 });
    for (const u of ["db/0", "db/1", "db/2"]) r.views[u] = view();
    r.versions = { "db/0": 2, "db/1": 1, "db/2": 1, db: 2 };
    state.units["db/1"]!.dying = true;
    assert.equal(next(state, "app/0"), "app/0 db1-relation-departed (db/1)");
    delete r.views["app/0"]!.members["db/1"];
    assert.equal(next(state, "app/0"), "app/0 db1-relation-changed");
    r.views["app/0"]!.appMembers["db"] = 2;
    assert.equal(next(state, "app/0"), "app/0 db1-relation-joined (db/2)");
    r.views["app/0"]!.members["db/2"] = 1;
    assert.equal(next(state, "app/0"), "app/0 db1-relation-changed (db/0)");
    r.dying = true;
    assert.equal(next(state, "app/0"), "app/0 db1-relation-departed (db/0)");
    r.views["app/0"]!.members = {};
    assert.equal(next(state, "app/0"), "app/0 db1-relation-broken");
  });

  test("units go in Go's string order: db/10 before db/2", () => {
    const state = model(["app/0", "db/2", "db/10"]);
    const r = relate(state, 1);
    r.views["app/0"] = view();
    r.views["db/2"] = view();
    r.views["db/10"] = view();
    assert.equal(next(state, "app/0"), "app/0 db1-relation-joined (db/10)");
  });

  test("an application bag never written is owed no -changed; a unit never gets one for its own", () => {
    const state = model(["app/0", "app/1"]);
    const peers = peerRelation(state);
    peers.views["app/0"] = view({ "app/1": 1 });
    peers.views["app/1"] = view({ "app/0": 1 });
    peers.versions = { "app/0": 1, "app/1": 1 };
    assert.equal(next(state, "app/0"), "nothing");
    peers.versions["app/0"] = 2;
    assert.equal(next(state, "app/0"), "nothing");
    assert.equal(next(state, "app/1"), "app/1 cluster-relation-changed (app/0)");
  });

  test("a dying unit departs its peers but never breaks a peer relation, then stops and is removed", () => {
    const state = model(["app/0", "app/1"]);
    const peers = peerRelation(state);
    peers.views["app/1"] = view({ "app/0": 1 });
    state.units["app/1"]!.dying = true;
    assert.equal(next(state, "app/1"), "app/1 cluster-relation-departed (app/0)");
    const op = nextOperation(state, "app/1", seededRandom(1));
    assert.equal(
      op?.kind === "run-hook" && op.hook.spec.departingUnit,
      "app/1",
      "it is the one going",
    );
    peers.views["app/1"]!.members = {};
    assert.equal(next(state, "app/1"), "app/1 stop");
    state.units["app/1"]!.stopped = true;
    assert.equal(next(state, "app/1"), "app/1 remove");
  });
});

describe("the uniter resolver's priorities", () => {
  test("relation-created, then leadership, then a queued hook, then config-changed, then relations", () => {
    const state = model(["app/0", "db/0"]);
    const r = relate(state, 1);
    r.views["db/0"] = view();
    state.units["app/0"] = unitRecord("app/0", { leaderSettingsVersion: 0 });
    state.applications["app"]!.leader = "app/1";
    assert.equal(next(state, "app/0"), "app/0 db1-relation-created", "and it entered the scope");
    assert.ok(r.views["app/0"]);
    r.views["app/0"]!.created = true;
    assert.equal(next(state, "app/0"), "app/0 leader-settings-changed");
    state.applications["app"]!.leader = "app/0";
    assert.equal(next(state, "app/0"), "app/0 accept-leadership");
    state.units["app/0"]!.leader = true;
    state.units["app/0"]!.queuedHook = { hook: "leader-elected", spec: {} };
    assert.equal(next(state, "app/0"), "app/0 leader-elected");
    state.units["app/0"]!.queuedHook = null;
    assert.equal(next(state, "app/0"), "app/0 config-changed");
    state.units["app/0"]!.configHash = configHash(state.applications["app"]!);
    assert.equal(next(state, "app/0"), "app/0 db1-relation-joined (db/0)");
  });

  test("a unit in error enters no scope and accepts no leadership, but resigns it", () => {
    const state = model(["app/0", "app/1", "db/0"]);
    const r = relate(state, 1);
    r.views["db/0"] = view();
    state.units["app/1"]!.failedHook = { hook: "update-status", spec: {} };
    state.applications["app"]!.leader = "app/1";
    assert.equal(next(state, "app/1"), "nothing");
    assert.equal(r.views["app/1"], undefined);
    state.units["app/1"]!.leader = true;
    state.applications["app"]!.leader = "app/0";
    assert.equal(next(state, "app/1"), "app/1 resign-leadership");
  });

  test("a unit that was never installed runs install first and, dying, nothing at all", () => {
    const state = model(["app/0"]);
    state.units["app/0"] = unitRecord("app/0", { installed: false, started: false });
    assert.equal(next(state, "app/0"), "app/0 install");
    state.units["app/0"]!.dying = true;
    assert.equal(next(state, "app/0"), "app/0 dead");
  });
});

describe("the order of relations comes from the seed", () => {
  test("one seed gives one order; the orders of many seeds cover every permutation", () => {
    const items = ["a", "b", "c"];
    assert.deepEqual(shuffled(items, seededRandom(7)), shuffled(items, seededRandom(7)));
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) seen.add(shuffled(items, seededRandom(seed)).join(""));
    assert.equal(seen.size, 6);
  });

  test("an idle unit owed hooks on two relations starts with either, by seed", () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const state = model(["app/0", "db/0"]);
      for (const id of [1, 2]) {
        const r = relate(state, id);
        r.views["app/0"] = view({ "db/0": 1 });
        r.views["db/0"] = view();
        r.versions["db/0"] = 2;
      }
      seen.add(next(state, "app/0", seed));
    }
    assert.deepEqual([...seen].sort(), [
      "app/0 db1-relation-changed (db/0)",
      "app/0 db2-relation-changed (db/0)",
    ]);
  });
});

describe("the seed of a test process", () => {
  const seedModule = join(dirname(fileURLToPath(import.meta.url)), "../simulator/seed.ts");
  /** A process that draws the seed, then exits with `code`; its stderr. */
  function exitWith(code: number, env: Record<string, string> = {}): string {
    const script =
      `const { defaultSeed } = await import(${JSON.stringify(seedModule)});\n` +
      `defaultSeed(); process.exitCode = ${code};`;
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        env: { ...process.env, SIM_SEED: "", ...env },
        encoding: "utf8",
      },
    );
    return run.stderr;
  }

  test("a process that fails prints the seed to replay; SIM_SEED fixes it; a passing one is quiet", () => {
    assert.match(exitWith(1), /SIM_SEED=\d+; run again with SIM_SEED=\d+/);
    assert.match(exitWith(1, { SIM_SEED: "4242" }), /SIM_SEED=4242/);
    assert.equal(exitWith(0), "");
  });
});
