// Leadership as Juju hands it out (leadership.ts): the lease goes to whichever agent claims it
// first, nobody holds it for a while after its holder goes, a hook that has been told "not the
// leader" is told so until it ends (runner/context/leader.go), and application data written by
// a hook that lost the lease before it ended is not committed (the apiserver's leadership token).
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { call, copyFixture, deployed, inAction, inHook, writeScript } from "./helpers.ts";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });

/** The fixture without dispatch: Juju skips every hook, so a model settles in no time. */
function silentCharm(): string {
  const charm = copyFixture();
  rmSync(join(charm, "dispatch"));
  return charm;
}

test("the first leader is the unit whose agent claims the lease first: under many seeds, not always /0", async () => {
  const leaders: string[] = [];
  for (let seed = 0; seed < 12; seed++) {
    const sim = await Simulator.create({ seed });
    await sim.deploy("app", silentCharm(), { units: 3 });
    const leader = sim.leader("app");
    assert.ok(leader !== null, `seed ${seed}: no leader`);
    assert.equal(sim.state().units[leader]!.leader, true, `seed ${seed}: not accepted`);
    leaders.push(leader);
  }
  assert.ok(
    leaders.some((leader) => leader !== "app/0"),
    `every seed elected app/0: ${leaders.join(" ")}`,
  );
  assert.ok(new Set(leaders).size > 1, leaders.join(" "));
});

test("a removed leader leaves a settle step with no leader; then another unit claims the lease", async () => {
  // Several seeds, so that the dying leader's turn comes first in a step as well as last.
  for (let seed = 0; seed < 6; seed++) {
    const sim = await Simulator.create({ seed });
    await sim.deploy("app", silentCharm(), { units: 3 });
    const old = sim.leader("app")!;
    await sim.removeUnit(old, { settle: false });
    assert.equal(sim.leader("app"), old, "a dying unit keeps its lease until it is gone");
    while (sim.state().units[old]) assert.ok(await sim.step(), "the dying unit made no progress");
    assert.equal(sim.leader("app"), null, `seed ${seed}: someone led in the step the leader went`);
    await sim.step();
    const next = sim.leader("app");
    assert.ok(next !== null && next !== old, `seed ${seed}: lease holder after the gap: ${next}`);
    await sim.settle();
    assert.equal(sim.state().units[next]!.leader, true);
  }
});

test("within one hook, once is-leader has said no it keeps saying no, even when the lease comes back", async () => {
  const fx = await deployed(2);
  fx.sim.moveLeadershipOnToolCall({ app: "app", tool: "is-leader", to: null });
  fx.sim.moveLeadershipOnToolCall({ app: "app", tool: "is-leader", to: fx.leader });
  const { results, run } = await inHook(fx, fx.leader, "update-status", [
    ["is-leader"],
    ["is-leader"],
    ["is-leader"],
    ["relation-set", "-r", "0", "--app", "k=v"],
    ["leader-set", "k=v"],
  ]);
  assert.equal(fx.sim.leader("app"), fx.leader, "the lease came back during the hook");
  assert.deepEqual(results, [
    ok("True\n"),
    ok("False\n"),
    ok("False\n"),
    { code: 1, stdout: "", stderr: "ERROR cannot write relation settings\n" },
    {
      code: 1,
      stdout: "",
      stderr: "ERROR cannot write leadership settings: cannot write settings: not the leader\n",
    },
  ]);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(await call(fx, fx.leader, ["is-leader"]), ok("True\n"), "a new hook asks again");
});

test("a hook that wrote application data and lost the lease before it ended commits nothing and fails", async () => {
  const fx = await deployed(2);
  fx.sim.moveLeadershipOnToolCall({
    app: "app",
    tool: "relation-set",
    argsContains: "--app",
    to: fx.follower,
  });
  writeScript(fx.charm, "update-status", "relation-set -r 0 --app k=v\nrelation-set -r 0 mine=1\n");
  const run = await fx.sim.runHook(fx.leader, "update-status");
  assert.equal(run.exitCode, 1, "the hook exited 0 but its changes could not be committed");
  assert.deepEqual(fx.sim.relationData(0, "app"), {});
  assert.equal(fx.sim.relationData(0, fx.leader)["mine"], undefined);
  assert.equal(fx.sim.agentStatus(fx.leader).message, 'hook failed: "update-status"');
  assert.ok(
    fx.sim
      .logs(fx.leader)
      .some(
        (line) =>
          line.level === "ERROR" &&
          line.message ===
            `cannot apply changes: checking leadership continuity: "${fx.leader}" is not leader of "app"`,
      ),
  );
});

test("an action that wrote application data and lost the lease fails as a commit failure", async () => {
  const fx = await deployed(2);
  fx.sim.moveLeadershipOnToolCall({ app: "app", tool: "relation-set", to: null });
  const { run, results } = await inAction(fx, fx.leader, "open", {}, [
    ["relation-set", "-r", "0", "--app", "k=v"],
  ]);
  assert.equal(results[0]!.code, 0);
  assert.equal(run.status, "failed");
  assert.equal(run.message, "committing requested changes failed");
  assert.match(String(run.results["stderr"]), /checking leadership continuity/);
  assert.deepEqual(fx.sim.relationData(0, "app"), {});
});
