// Where an action runs among the hooks a unit owes: Juju's resolver takes a queued action after
// the relation-created, leadership and queued hooks, and before config-changed and the relation
// hooks (internal/worker/uniter/resolver.go NextOp, actions/resolver.go). runAction runs it
// there, on a model a test changed with `settle: false`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Simulator, type HookLogEntry } from "../simulator/index.ts";
import { copyFixture, inAction } from "./helpers.ts";

const line = (h: HookLogEntry): string =>
  [h.unit, h.name, h.remoteUnit && `remote=${h.remoteUnit}`].filter(Boolean).join(" ");

const since = (sim: Simulator, mark: number, unit: string): string[] =>
  sim
    .hookLog()
    .slice(mark)
    .filter((h) => h.unit === unit)
    .map(line);

async function twoApps() {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  return { sim, charm };
}

test("an action right after integrate runs after relation-created, before the remote unit joins", async () => {
  const fx = await twoApps();
  const id = await fx.sim.integrate("app:served", "other:upstream", { settle: false });
  const mark = fx.sim.hookLog().length;
  const { run, results } = await inAction(fx, "app/0", "open", {}, [
    ["relation-ids", "served"],
    ["relation-list", "-r", String(id), "--format=json"],
    ["relation-get", "-r", String(id), "-", "other/0"],
  ]);
  assert.equal(run.status, "completed");
  assert.deepEqual(
    results.map((r) => r.stdout),
    [`served:${id}\n`, "[]\n", ""],
  );
  assert.equal(results[2]!.code, 1, "other/0 has not entered the relation's scope");
  const hooks = since(fx.sim, mark, "app/0");
  assert.deepEqual(hooks.slice(0, 2), ["app/0 served-relation-created", "app/0 open"]);
  assert.ok(
    hooks.includes("app/0 served-relation-joined remote=other/0"),
    "then the model settles",
  );
});

test("a queued action jumps config-changed, but not a new unit's install, -created or leadership hooks", async () => {
  const fx = await twoApps();
  let mark = fx.sim.hookLog().length;
  await fx.sim.config("app", { greeting: "changed" }, { settle: false });
  await fx.sim.runAction("app/0", "open");
  assert.deepEqual(since(fx.sim, mark, "app/0"), ["app/0 open", "app/0 config-changed"]);

  mark = fx.sim.hookLog().length;
  const unit = await fx.sim.addUnit("app", { settle: false });
  await fx.sim.runAction(unit, "open", {}, { settle: false });
  assert.deepEqual(since(fx.sim, mark, unit), [
    `${unit} install`,
    `${unit} cluster-relation-created`,
    `${unit} leader-settings-changed`,
    `${unit} open`,
  ]);
  await fx.sim.settle();
  assert.deepEqual(since(fx.sim, mark, unit).slice(4, 6), [
    `${unit} config-changed`,
    `${unit} start`,
  ]);
});

test("a leader's queued leader-elected runs before the action; a removed unit's relation hooks after it", async () => {
  const fx = await twoApps();
  await fx.sim.integrate("app:served", "other:upstream");
  const unit = await fx.sim.addUnit("app");
  await fx.sim.setLeader(unit, { settle: false });
  let mark = fx.sim.hookLog().length;
  await fx.sim.runAction("app/leader", "open", {}, { settle: false });
  assert.deepEqual(since(fx.sim, mark, unit), [`${unit} leader-elected`, `${unit} open`]);
  await fx.sim.settle();

  await fx.sim.removeUnit("other/0", { settle: false });
  mark = fx.sim.hookLog().length;
  await fx.sim.runAction("other/0", "open");
  const dying = since(fx.sim, mark, "other/0");
  assert.equal(dying[0], "other/0 open", dying.join("\n"));
  assert.ok(dying.includes("other/0 remove"));
});

test("an action on a model left unsettled runs at once where the unit owes nothing above it", async () => {
  const fx = await twoApps();
  const id = await fx.sim.integrate("app:served", "other:upstream", { settle: false });
  await fx.sim.runAction("app/0", "open", {}, { settle: false });
  const view = fx.sim.state().relations.find((r) => r.id === id)!.views["other/0"];
  assert.equal(view, undefined, "other/0 waited: it has not entered the scope");
  assert.equal(await fx.sim.step(), true);
  assert.ok(fx.sim.state().relations.find((r) => r.id === id)!.views["other/0"]);
});
