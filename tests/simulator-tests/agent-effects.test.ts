// What the unit agent does around the charm's own work: the workload statuses it sets itself
// (internal/worker/uniter/operation/runhook.go beforeHook and afterHook), a hook killed by a
// signal (runhook.go Execute: queued again, not an error), an action whose changes cannot be
// committed (runner/context/context.go finalizeAction), and the charm directory of each unit.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { copyFixture, shq, writeScript } from "./helpers.ts";

test("the agent shows 'installing charm software' until start, then unknown if the charm set no status", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  const seen = join(mkdtempSync(join(tmpdir(), "status-")), "seen");
  const record = `status-get --include-data --format=json >> ${shq(seen)}\n`;
  writeScript(charm, "install", record);
  writeScript(charm, "config-changed", record);
  await sim.deploy("app", charm, { units: 1 });
  const statuses = readFileSync(seen, "utf8").trim().split("\n");
  assert.deepEqual(
    statuses.map((s) => JSON.parse(s) as unknown),
    [
      { message: "installing charm software", status: "maintenance", "status-data": {} },
      { message: "installing charm software", status: "maintenance", "status-data": {} },
    ],
  );
  assert.deepEqual(sim.unitStatus("app/0"), { status: "unknown", message: "", data: {} });
});

test("a status the charm set before start survives start; the agent never overwrites it", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  writeScript(charm, "install", "status-set waiting 'getting there'\n");
  await sim.deploy("app", charm, { units: 1 });
  assert.deepEqual(sim.unitStatus("app/0"), {
    status: "waiting",
    message: "getting there",
    data: {},
  });
});

test("stop and remove run in maintenance set by the agent", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  const seen = join(mkdtempSync(join(tmpdir(), "status-")), "seen");
  const record = `status-get >> ${shq(seen)}\n`;
  writeScript(charm, "install", "status-set active ready\n");
  writeScript(charm, "stop", record);
  writeScript(charm, "remove", record);
  await sim.deploy("app", charm, { units: 2 });
  await sim.removeUnit("app/1");
  assert.deepEqual(readFileSync(seen, "utf8").trim().split("\n"), ["maintenance", "maintenance"]);
});

test("a hook killed by SIGTERM is queued again, not put in error, and what it wrote is dropped", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  const counter = join(mkdtempSync(join(tmpdir(), "runs-")), "n");
  writeScript(
    charm,
    "config-changed",
    `n=$(cat ${shq(counter)} 2>/dev/null || echo 0)\necho $((n + 1)) > ${shq(counter)}\n` +
      `relation-set -r "$(relation-ids cluster)" run=$n\n[ "$n" -ge 1 ] || kill -TERM $$\n`,
  );
  const mark = sim.hookLog().length;
  await sim.config("app", { greeting: "again" });
  assert.equal(sim.agentStatus("app/0").status, "idle");
  assert.deepEqual(
    sim
      .hookLog()
      .slice(mark)
      .map((h) => `${h.name} ${h.exitCode}`),
    ["config-changed 143", "config-changed 0"],
  );
  assert.equal(sim.relationData(0, "app/0")["run"], "1");
});

test("an action whose changes cannot be committed fails, keeping the return code the charm gave", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  const big = join(charm, "big.json");
  writeFileSync(big, JSON.stringify({ big: "y".repeat(16 * 1024 * 1024 + 1) }));
  writeScript(charm, "open", `relation-set -r "$(relation-ids cluster)" --file ${shq(big)}\n`);
  const run = await sim.runAction("app/0", "open");
  assert.equal(run.status, "failed");
  assert.equal(run.message, "committing requested changes failed");
  assert.equal(run.results["return-code"], 0);
  assert.match(String(run.results["stderr"]), /16 MiB/);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(sim.relationData(0, "app/0")["big"], undefined);
});

test("each unit has its own charm directory, as under /var/lib/juju/agents/unit-<app>-<n>/charm", async () => {
  const sim = await Simulator.create();
  const charm = copyFixture();
  const seen = mkdtempSync(join(tmpdir(), "dirs-"));
  writeScript(
    charm,
    "install",
    `echo "$CHARM_DIR" > ${shq(seen)}/"$(echo "$JUJU_UNIT_NAME" | tr / -)"\ntouch "$CHARM_DIR/installed-here"\n`,
  );
  await sim.deploy("app", charm, { units: 2 });
  const dir0 = readFileSync(join(seen, "app-0"), "utf8").trim();
  const dir1 = readFileSync(join(seen, "app-1"), "utf8").trim();
  assert.notEqual(dir0, dir1);
  assert.match(dir0, /unit-app-0\/charm$/);
  assert.equal(existsSync(join(dir0, "installed-here")), true);
  assert.equal(existsSync(join(charm, "installed-here")), false, "the source is left alone");
});
