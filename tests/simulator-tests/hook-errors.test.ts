// A unit in hook error, as the uniter handles it: nothing runs but the failed hook (actions
// aside); once it succeeds the unit runs what the model's state then calls for
// (internal/worker/uniter/resolver.go, relation/resolver.go); the failed hook is retried by
// itself with back-off (hook-retry.ts) or by `juju resolve` (cmd/juju/application/resolved.go).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { grow, MAX_RETRY_MS, MIN_RETRY_MS } from "../simulator/hook-retry.ts";
import { Simulator, type HookLogEntry } from "../simulator/index.ts";
import { copyFixture, shq, writeScript } from "./helpers.ts";

const line = (h: HookLogEntry): string =>
  [h.unit, h.name, h.remoteUnit && `remote=${h.remoteUnit}`, `exit=${h.exitCode}`]
    .filter(Boolean)
    .join(" ");

const since = (sim: Simulator, mark: number): string[] => sim.hookLog().slice(mark).map(line);

/** A script that fails its first `failures` runs, then succeeds. */
function failsFirst(failures: number): string {
  const counter = shq(join(mkdtempSync(join(tmpdir(), "runs-")), "n"));
  return `n=$(cat ${counter} 2>/dev/null || echo 0)\necho $((n + 1)) > ${counter}\n[ "$n" -ge ${failures} ] || exit 1\n`;
}

test("while a unit is in error nothing else runs; once retried it runs what is due, once each", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  const id = await sim.integrate("app:served", "other:upstream");
  writeScript(charm, "config-changed", failsFirst(1));
  const mark = sim.hookLog().length;
  await sim.config("app", { greeting: "one" });
  assert.equal(sim.agentStatus("app/0").status, "error");

  sim.setRelationData(id, "other/0", { a: "1" }, { notify: true });
  sim.setRelationData(id, "other", { b: "1" }, { notify: true });
  sim.setRelationData(id, "other/0", { a: "2" }, { notify: true });
  await sim.settle();
  await sim.config("app", { greeting: "two" });
  assert.deepEqual(since(sim, mark), ["app/0 config-changed exit=1"], "nothing else ran");
  await assert.rejects(sim.runHook("app/0", "update-status"), /is in error .* resolve\(\)/);

  // The retried config-changed sees the config of now, so no second one is due.
  await sim.resolve("app/0");
  assert.deepEqual(since(sim, mark), [
    "app/0 config-changed exit=1",
    "app/0 config-changed exit=0",
    "app/0 served-relation-changed exit=0",
    "app/0 served-relation-changed remote=other/0 exit=0",
  ]);
  assert.equal(sim.agentStatus("app/0").status, "idle");
  await assert.rejects(sim.resolve("app/0"), /unit "app\/0" is not in an error state/);
});

test("a failed hook is retried by itself after 5 s, then with a doubling back-off, on a virtual clock", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  writeScript(charm, "install", failsFirst(2));
  await sim.deploy("app", charm, { units: 1 });
  assert.deepEqual(since(sim, 0), ["app/0 install exit=1"], "the deploy sequence waits");
  assert.equal(sim.nextRetryAt("app/0"), MIN_RETRY_MS);

  await sim.advanceTime(MIN_RETRY_MS - 1);
  assert.equal(sim.hookLog().length, 1, "not yet due");
  await sim.advanceTime(1);
  assert.deepEqual(since(sim, 1), ["app/0 install exit=1"]);
  const second = sim.nextRetryAt("app/0")!;
  assert.ok(second >= 5_000 + 9_700 && second <= 5_000 + 10_300, String(second));

  await sim.advanceTime(second - sim.clock);
  assert.deepEqual(since(sim, 2), [
    "app/0 install exit=0",
    "app/0 cluster-relation-created exit=0",
    "app/0 leader-elected exit=0",
    "app/0 config-changed exit=0",
    "app/0 start exit=0",
  ]);
  assert.equal(sim.nextRetryAt("app/0"), null);
  assert.deepEqual(
    [sim.state().units["app/0"]!.installed, sim.state().units["app/0"]!.started],
    [true, true],
  );
});

test("BackoffTimer's growth: times 2 within 3 %, capped at 5 minutes", () => {
  assert.equal(
    grow(MIN_RETRY_MS, () => 0.5),
    10_000,
  );
  assert.equal(
    grow(MIN_RETRY_MS, () => 1),
    10_300,
  );
  assert.equal(
    grow(MIN_RETRY_MS, () => 0),
    9_700,
  );
  assert.equal(
    grow(200_000, () => 0.5),
    MAX_RETRY_MS,
  );
  assert.equal(
    grow(MAX_RETRY_MS, () => 0),
    MAX_RETRY_MS,
  );
});

test("with automatically-retry-hooks false only resolve retries; --no-retry skips the hook", async () => {
  const sim = await Simulator.create({ automaticallyRetryHooks: false });
  const charm = copyFixture();
  writeScript(charm, "install", "exit 1\n");
  await sim.deploy("app", charm, { units: 1 });
  assert.equal(sim.nextRetryAt("app/0"), null);
  await sim.advanceTime(3_600_000);
  assert.equal(sim.hookLog().length, 1);
  await sim.resolve("app/0");
  assert.deepEqual(since(sim, 1), ["app/0 install exit=1"]);
  await sim.resolve("app/0", { retry: false });
  assert.deepEqual(since(sim, 2), [
    "app/0 cluster-relation-created exit=0",
    "app/0 leader-elected exit=0",
    "app/0 config-changed exit=0",
    "app/0 start exit=0",
  ]);
  assert.equal(sim.state().units["app/0"]!.installed, true, "a skipped hook counts as run");
});

test("a relation or unit removed while a unit is in error waits for that unit's hooks", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 2 });
  const id = await sim.integrate("app:served", "other:upstream");
  const seen = join(mkdtempSync(join(tmpdir(), "ids-")), "ids");
  writeScript(charm, "update-status", `relation-ids served > ${shq(seen)}\n${failsFirst(1)}`);
  await sim.runHook("app/0", "update-status");
  const mark = sim.hookLog().length;
  sim.setRelationData(id, "other/0", { a: "1" }, { notify: true });
  await sim.settle();
  await sim.removeRelation(id);
  await sim.removeUnit("other/1");
  assert.ok(
    sim.state().relations.some((r) => r.id === id),
    "the relation stays until app/0 has run -broken",
  );
  assert.ok(since(sim, mark).every((h) => !h.startsWith("app/0")));
  await sim.resolve("app/0");
  assert.equal(readFileSync(seen, "utf8"), `served:${id}\n`, "still in it until -broken runs");
  assert.deepEqual(
    since(sim, mark).filter((h) => h.startsWith("app/0")),
    [
      "app/0 update-status exit=0",
      "app/0 served-relation-departed remote=other/0 exit=0",
      "app/0 served-relation-departed remote=other/1 exit=0",
      "app/0 served-relation-broken exit=0",
    ],
  );
  assert.equal(
    sim.state().relations.some((r) => r.id === id),
    false,
  );

  writeScript(charm, "update-status", "exit 1\n");
  await sim.runHook("other/0", "update-status");
  await sim.removeUnit("other/0");
  assert.ok(sim.state().units["other/0"], "a unit in error is not removed");
  writeScript(charm, "update-status", "");
  await sim.resolve("other/0");
  assert.equal(sim.state().units["other/0"], undefined);
});
