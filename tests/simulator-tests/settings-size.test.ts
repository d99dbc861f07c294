// Juju 4 refuses to commit a relation settings map over 16 MiB (juju/juju PR #22664: the
// transaction that commits a hook's settings fails), so the hook errors and nothing it wrote
// is kept. Juju 3.6 fails the same way at MongoDB's 16 MiB document limit.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { copyFixture, inHook, type Fixture } from "./helpers.ts";

const MiB = 1024 * 1024;

async function related(): Promise<Fixture & { relationId: number }> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  const relationId = await sim.integrate("app:served", "other:upstream");
  return { sim, charm, relationId };
}

/** A settings file whose keys and values take exactly `bytes` bytes. */
function settingsFile(charm: string, bytes: number): string {
  const path = join(charm, "big.json");
  writeFileSync(path, JSON.stringify({ small: "1", big: "y".repeat(bytes - "small1big".length) }));
  return "big.json";
}

describe("the simulator commits a hook's settings only as Juju can store them", () => {
  test("a hook whose relation settings would pass 16 MiB fails, and nothing it wrote is kept", async () => {
    const fx = await related();
    const file = settingsFile(fx.charm, 16 * MiB + 1);
    const { run, results } = await inHook(fx, "app/0", "update-status", [
      ["relation-set", "-r", String(fx.relationId), "--app", "--file", file],
      ["relation-set", "-r", String(fx.relationId), "unit-key=kept?"],
    ]);
    assert.equal(results[0]!.code, 0, results[0]!.stderr);
    assert.notEqual(run.exitCode, 0);
    assert.equal(fx.sim.agentStatus("app/0").status, "error");
    assert.deepEqual(fx.sim.relationData(fx.relationId, "app"), {});
    assert.deepEqual(fx.sim.relationData(fx.relationId, "app/0")["unit-key"], undefined);
    assert.ok(fx.sim.logs("app/0").some((l) => l.level === "ERROR" && /16 MiB/.test(l.message)));
  });

  test("settings of exactly 16 MiB commit", async () => {
    const fx = await related();
    const file = settingsFile(fx.charm, 16 * MiB);
    const { run } = await inHook(fx, "app/0", "update-status", [
      ["relation-set", "-r", String(fx.relationId), "--app", "--file", file],
    ]);
    assert.equal(run.exitCode, 0);
    assert.equal(fx.sim.relationData(fx.relationId, "app")["small"], "1");
  });
});
