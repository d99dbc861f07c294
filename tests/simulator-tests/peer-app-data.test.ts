// A peer relation's application bag is watched by every unit of the application, the leader that
// wrote it included: each unit watches the bags of its counterpart applications, and in a peer
// relation that is its own (state/relationunit.go Watch, CounterpartApplications). So every peer
// runs -changed for it, and a charm that rewrites it in that hook loops, on Juju as here.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { copyFixture, inHook, writeScript } from "./helpers.ts";

describe("peer application data", () => {
  test("a change reaches every peer as -changed with no remote unit, the writer included", async () => {
    const sim = await Simulator.create();
    const charm = copyFixture();
    await sim.deploy("app", charm, { units: 2 });
    const leader = sim.state().applications["app"]!.leader!;
    const mark = sim.hookLog().length;
    const { run } = await inHook({ sim, charm }, leader, "update-status", [
      ["relation-set", "-r", "0", "--app", "k=v"],
    ]);
    assert.equal(run.exitCode, 0);
    await sim.settle();
    const changed = sim
      .hookLog()
      .slice(mark)
      .filter((h) => h.name === "cluster-relation-changed")
      .map((h) => `${h.unit} remote-app=${h.remoteApp} remote-unit=${h.remoteUnit}`)
      .sort();
    assert.deepEqual(changed, [
      "app/0 remote-app=app remote-unit=",
      "app/1 remote-app=app remote-unit=",
    ]);
  });

  test("a leader that rewrites its peer application data in -changed never settles, and settle says why", async () => {
    const sim = await Simulator.create({ maxHooks: 30 });
    const charm = copyFixture();
    writeScript(
      charm,
      "cluster-relation-changed",
      'if [ -z "$JUJU_REMOTE_UNIT" ]; then relation-set --app n="$(date +%s%N)"; fi\n',
    );
    writeScript(charm, "leader-elected", "relation-set -r 0 --app n=0\n");
    await assert.rejects(sim.deploy("app", charm, { units: 1 }), (error: Error) => {
      assert.match(error.message, /^model did not settle after 30 hooks; next: app\/0 /);
      assert.match(error.message, /app\/0 cluster-relation-changed \(app\) ×\d+/);
      assert.match(error.message, /peer relation's application data/);
      return true;
    });
  });
});
