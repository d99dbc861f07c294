import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { deployed, removeScript, writeScript } from "./helpers.ts";

// jujuc asks the agent first and sends stdin only when the agent answers that the tool needs it
// (cmd/jujuc/main.go, ErrNoStdinStr), so a tool that takes no input leaves stdin to the caller.
describe("jujuc, the hook-tool client", () => {
  test("reads stdin only for a tool that needs it, and the call is recorded once", async () => {
    const fx = await deployed(1);
    const out = mkdtempSync(join(tmpdir(), "jujuc-"));
    const peer = fx.sim.state().relations.find((relation) => relation.peer);
    assert.ok(peer, "the fixture has a peer relation");
    writeScript(
      fx.charm,
      "update-status",
      `printf 'left for cat' | { is-leader --format=json >${out}/leader; cat >${out}/rest; }\n` +
        `printf 'k: v\\n' | relation-set -r ${peer.id} --file - >${out}/set 2>&1\n`,
    );
    try {
      const run = await fx.sim.runHook("app/0", "update-status");
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(readFileSync(join(out, "leader"), "utf8"), "true\n");
      assert.equal(readFileSync(join(out, "rest"), "utf8"), "left for cat");
      assert.deepEqual(
        run.toolCalls.filter(([name]) => name === "relation-set"),
        [["relation-set", "-r", String(peer.id), "--file", "-"]],
      );
      assert.equal(
        fx.sim.state().relations.find((r) => r.id === peer.id)?.unitData["app/0"]?.["k"],
        "v",
      );
    } finally {
      removeScript(fx.charm, "update-status");
    }
  });

  test("names the socket it cannot reach, as jujuc does", async () => {
    const fx = await deployed(1);
    const out = mkdtempSync(join(tmpdir(), "jujuc-"));
    writeScript(
      fx.charm,
      "update-status",
      `JUJU_AGENT_SOCKET_ADDRESS=${out}/nowhere.socket is-leader 2>${out}/err; echo $? >${out}/rc\n` +
        `JUJU_AGENT_SOCKET_NETWORK= is-leader 2>${out}/err2; echo $? >${out}/rc2\n`,
    );
    try {
      await fx.sim.runHook("app/0", "update-status");
      assert.equal(readFileSync(join(out, "rc"), "utf8"), "1\n");
      assert.match(
        readFileSync(join(out, "err"), "utf8"),
        new RegExp(
          `^ERROR dial unix ${out}/nowhere.socket: connect: No such file or directory\\n$`,
        ),
      );
      assert.equal(readFileSync(join(out, "rc2"), "utf8"), "1\n");
      assert.equal(
        readFileSync(join(out, "err2"), "utf8"),
        "ERROR JUJU_AGENT_SOCKET_NETWORK not set\n",
      );
    } finally {
      removeScript(fx.charm, "update-status");
    }
  });
});
