// A unit in hook error runs nothing but its failed hook (and actions). Once out of error it runs
// what the model's state calls for then, not a replay of what happened meanwhile: the relation
// resolvers do nothing unless the unit is idle, so it enters no new relation's scope and the
// others never see it join (internal/worker/uniter/relation/resolver.go, statetracker.go
// SynchronizeScopes); it departs only the units it had recorded as joined; and it accepts
// leadership only if it is leader when idle again (internal/worker/uniter/leadership/resolver.go).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Simulator, type HookLogEntry } from "../simulator/index.ts";
import { copyFixture, shq, writeScript } from "./helpers.ts";

const line = (h: HookLogEntry): string =>
  [h.unit, h.name, h.remoteUnit && `remote=${h.remoteUnit}`].filter(Boolean).join(" ");

const since = (sim: Simulator, mark: number, unit?: string): string[] =>
  sim
    .hookLog()
    .slice(mark)
    .filter((h) => unit === undefined || h.unit === unit)
    .map(line);

/** A script that fails its first run, then succeeds. */
function failsOnce(): string {
  const counter = shq(join(mkdtempSync(join(tmpdir(), "runs-")), "n"));
  return `n=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n + 1)) > ${counter}\n[ "$n" -ge 1 ] || exit 1\n`;
}

/**
 * app (2 units) and other (1 unit), related app:served - other:upstream; then app's follower
 * (`inError`) is in error and its leader (`healthy`) is not.
 */
async function withFollowerInError() {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 2 });
  await sim.deploy("other", charm, { units: 1 });
  const related = await sim.integrate("app:served", "other:upstream");
  const healthy = sim.leader("app")!;
  const inError = healthy === "app/0" ? "app/1" : "app/0";
  writeScript(charm, "update-status", failsOnce());
  await sim.runHook(inError, "update-status");
  assert.equal(sim.agentStatus(inError).status, "error");
  writeScript(charm, "update-status", "");
  return { sim, charm, related, inError, healthy };
}

test("a relation made and removed while a unit is in error gives that unit no hook at all", async () => {
  const { sim, inError } = await withFollowerInError();
  const mark = sim.hookLog().length;
  const id = await sim.integrate("app:upstream", "other:served");
  await sim.removeRelation(id);
  assert.equal(
    sim.state().relations.some((r) => r.id === id),
    false,
    "the relation is gone: the unit in error never entered its scope",
  );
  await sim.resolve(inError);
  const ran = since(sim, mark, inError);
  assert.deepEqual(ran, [`${inError} update-status`]);
});

test("leadership that comes to a unit in error and goes again before it is resolved runs no leader-elected there", async () => {
  const { sim, inError, healthy } = await withFollowerInError();
  const mark = sim.hookLog().length;
  await sim.setLeader(inError);
  await sim.setLeader(healthy);
  await sim.resolve(inError);
  assert.ok(!since(sim, mark, inError).some((h) => h.includes("leader-elected")));
});

test("a remote unit that joins and leaves while a unit is in error is neither joined nor departed there", async () => {
  const { sim, inError } = await withFollowerInError();
  const mark = sim.hookLog().length;
  const added = await sim.addUnit("other");
  await sim.removeUnit(added);
  await sim.resolve(inError);
  const ran = since(sim, mark, inError);
  assert.ok(!ran.some((h) => h.includes(added)), ran.join("\n"));
});

test("the other side sees a unit in error join a new relation only once it is resolved", async () => {
  const { sim, inError, healthy } = await withFollowerInError();
  const mark = sim.hookLog().length;
  await sim.integrate("app:upstream", "other:served");
  const joinedAppOne = (): boolean =>
    since(sim, mark, "other/0").includes(`other/0 served-relation-joined remote=${inError}`);
  assert.equal(joinedAppOne(), false, "the unit in error has not entered the relation's scope");
  assert.ok(
    since(sim, mark, "other/0").includes(`other/0 served-relation-joined remote=${healthy}`),
  );
  await sim.resolve(inError);
  assert.equal(joinedAppOne(), true);
  assert.ok(since(sim, mark, inError).includes(`${inError} upstream-relation-created`));
});

test("a failed leader-elected retried after leadership has moved on is skipped, not run", async () => {
  const { sim, charm, inError, healthy } = await withFollowerInError();
  await sim.resolve(inError);
  writeScript(charm, "leader-elected", failsOnce());
  await sim.setLeader(inError);
  assert.equal(sim.agentStatus(inError).message, 'hook failed: "leader-elected"');
  await sim.setLeader(healthy);
  const mark = sim.hookLog().length;
  await sim.resolve(inError);
  assert.deepEqual(since(sim, mark, inError), []);
  assert.equal(sim.agentStatus(inError).status, "idle");
});
