// status-set/get, juju-log, is-leader, config-get, application-version-set, leader-get/set, and
// the client-side rules every tool shares (context lookup, help, faults), as real executables.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { call, deployed, inHook, type Deployed } from "./helpers.ts";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });
const err = (code: number, stderr: string) => ({ code, stdout: "", stderr });

describe("status tools", () => {
  let fx: Deployed;
  before(async () => {
    fx = await deployed(2);
  });

  test("status-set sets the workload status at once and rejects what Juju rejects", async () => {
    const { results, run } = await inHook(fx, fx.leader, "update-status", [
      ["status-set", "maintenance", "busy"],
      ["status-set", "error", "x"],
      ["status-set", "unknown"],
      ["status-set"],
      ["status-set", "active", "msg", "extra"],
      ["status-set", "--application=False", "active", "--", "--looks like a flag"],
    ]);
    assert.equal(run.exitCode, 0);
    assert.deepEqual(results, [
      ok(""),
      err(
        2,
        'ERROR invalid status "error", expected one of [maintenance blocked waiting active]\n',
      ),
      err(
        2,
        'ERROR invalid status "unknown", expected one of [maintenance blocked waiting active]\n',
      ),
      err(2, "ERROR invalid args, require <status> [message]\n"),
      err(2, 'ERROR unrecognized args: ["extra"]\n'),
      ok(""),
    ]);
    assert.deepEqual(fx.sim.unitStatus(fx.leader), {
      status: "active",
      message: "--looks like a flag",
      data: {},
    });
    // First the agent's own: "installing charm software", then unknown after start.
    const history = fx.sim.statusHistory(fx.leader).map((s) => s.status);
    assert.deepEqual(history, ["maintenance", "unknown", "maintenance", "active"]);
  });

  test("status-set --application needs leadership", async () => {
    assert.deepEqual(
      await call(fx, fx.follower, ["status-set", "--application", "blocked", "no"]),
      err(1, "ERROR this unit is not the leader\n"),
    );
    assert.deepEqual(
      await call(fx, fx.leader, ["status-set", "--application", "blocked", "no"]),
      ok(""),
    );
    assert.deepEqual(fx.sim.appStatus("app"), { status: "blocked", message: "no", data: {} });
  });

  test("status-get has the shapes of Juju's status-get", async () => {
    await call(fx, fx.follower, ["status-set", "waiting", "for <db>"]);
    const { results } = await inHook(fx, fx.follower, "update-status", [
      ["status-get"],
      ["status-get", "--format=json"],
      ["status-get", "--include-data", "--format=json", "--application=false"],
      ["status-get", "--include-data", "--application=True", "--format=json"],
    ]);
    assert.deepEqual(results, [
      ok("waiting\n"),
      ok('{"status":"waiting"}\n'),
      ok('{"message":"for \\u003cdb\\u003e","status":"waiting","status-data":{}}\n'),
      err(1, "ERROR finding application status: this unit is not the leader\n"),
    ]);
    const leader = await call(fx, fx.leader, [
      "status-get",
      "--application",
      "--include-data",
      "--format=json",
    ]);
    const units: Record<string, string> = {
      [fx.leader]: '{"message":"--looks like a flag","status":"active","status-data":{}}',
      [fx.follower]: '{"message":"for \\u003cdb\\u003e","status":"waiting","status-data":{}}',
    };
    const byName = Object.keys(units)
      .sort()
      .map((unit) => `"${unit}":${units[unit]}`)
      .join(",");
    assert.equal(
      leader.stdout,
      `{"application-status":{"message":"no","status":"blocked","status-data":{},"units":{${byName}}}}\n`,
    );
  });
});

describe("juju-log", () => {
  test("logs at the level given, warns about a bad level, prefixes relation hooks", async () => {
    const fx = await deployed(1);
    const { results } = await inHook(
      fx,
      "app/0",
      "cluster-relation-changed",
      [
        ["juju-log", "plain", "words"],
        ["juju-log", "--log-level", "DEBUG", "--", "-dash line"],
        ["juju-log", "-l", "warn", "w"],
        ["juju-log", "--debug", "d"],
        ["juju-log", "-l", "LOUD", "x"],
        ["juju-log"],
        ["juju-log", "--format=json", "x"],
      ],
      { relationId: 0, remoteApp: "app" },
    );
    assert.deepEqual(results, [
      ok(""),
      ok(""),
      ok(""),
      ok(""),
      ok(""),
      err(2, "ERROR no message specified\n"),
      err(2, "ERROR option provided but not defined: --format\n"),
    ]);
    assert.deepEqual(fx.sim.logs("app/0").slice(-6), [
      { level: "INFO", message: "cluster:0: plain words" },
      { level: "DEBUG", message: "cluster:0: -dash line" },
      { level: "WARNING", message: "cluster:0: w" },
      { level: "DEBUG", message: "cluster:0: d" },
      { level: "WARNING", message: 'Specified log level of "LOUD" is not valid' },
      { level: "INFO", message: "cluster:0: x" },
    ]);
  });
});

describe("leadership, config and version tools", () => {
  let fx: Deployed;
  before(async () => {
    fx = await deployed(2);
  });

  test("is-leader prints True/False, or true/false in JSON", async () => {
    assert.deepEqual(await call(fx, fx.leader, ["is-leader"]), ok("True\n"));
    assert.deepEqual(await call(fx, fx.follower, ["is-leader"]), ok("False\n"));
    assert.deepEqual(await call(fx, fx.follower, ["is-leader", "--format=json"]), ok("false\n"));
    assert.deepEqual(
      await call(fx, fx.follower, ["is-leader", "x"]),
      err(2, 'ERROR unrecognized args: ["x"]\n'),
    );
  });

  test("config-get keeps types, omits nil values unless --all", async () => {
    await fx.sim.config("app", { port: "9443" });
    const { results } = await inHook(fx, fx.leader, "update-status", [
      ["config-get", "--format=json"],
      ["config-get", "--all", "--format=json"],
      ["config-get", "port"],
      ["config-get", "token", "--format=json"],
      ["config-get", "nope"],
      ["config-get", "-a", "port"],
      ["config-get", "debug"],
    ]);
    assert.deepEqual(results, [
      ok('{"debug":false,"greeting":"hello","port":9443,"ratio":0.5}\n'),
      ok('{"debug":false,"greeting":"hello","port":9443,"ratio":0.5,"token":null}\n'),
      ok("9443\n"),
      ok("null\n"),
      ok(""),
      err(2, 'ERROR cannot use argument --all together with key "port"\n'),
      ok("False\n"),
    ]);
  });

  test("application-version-set applies at once", async () => {
    const { results } = await inHook(fx, fx.follower, "update-status", [
      ["application-version-set", "--", "1.2.3"],
      ["application-version-set"],
      ["application-version-set", "1", "2"],
    ]);
    assert.deepEqual(results, [
      ok(""),
      err(2, "ERROR no version specified\n"),
      err(2, 'ERROR unrecognized args: ["2"]\n'),
    ]);
    assert.equal(fx.sim.state().applications["app"]!.version, "1.2.3");
  });

  test("leader-set is the leader's; followers get leader-settings-changed", async () => {
    assert.deepEqual(
      await call(fx, fx.follower, ["leader-set", "a=b"]),
      err(1, "ERROR cannot write leadership settings: cannot write settings: not the leader\n"),
    );
    await call(fx, fx.leader, ["leader-set", "a=b"]);
    const ran = fx.sim.hookLog().length;
    await fx.sim.settle();
    const followUps = fx.sim
      .hookLog()
      .slice(ran)
      .map((h) => `${h.unit} ${h.name}`);
    assert.deepEqual(followUps, [`${fx.follower} leader-settings-changed`]);
    assert.deepEqual(
      await call(fx, fx.follower, ["leader-get", "--format=json"]),
      ok('{"a":"b"}\n'),
    );
    assert.deepEqual(
      await call(fx, fx.follower, ["leader-get", "a=b"]),
      err(2, 'ERROR invalid key "a=b"\n'),
    );
  });
});

describe("every tool", () => {
  test("needs JUJU_CONTEXT_ID and a context the agent knows", async () => {
    const fx = await deployed(1);
    const tool = join(fx.sim.toolsDir, "is-leader");
    const noContext = spawnSync(tool, [], { env: { PATH: "/usr/bin:/bin" }, encoding: "utf8" });
    assert.deepEqual(
      [noContext.status, noContext.stdout, noContext.stderr],
      [1, "", "ERROR JUJU_CONTEXT_ID not set\n"],
    );
    // Asynchronously: the agent that answers runs in this process.
    const unknown = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        tool,
        [],
        {
          env: {
            PATH: "/usr/bin:/bin",
            JUJU_CONTEXT_ID: "app/0-x-0",
            JUJU_AGENT_SOCKET_ADDRESS: join(fx.sim.dir, "agent.socket"),
            JUJU_AGENT_SOCKET_NETWORK: "unix",
          },
          encoding: "utf8",
        },
        (_error, _stdout, stderr) => resolve({ status: child.exitCode, stderr }),
      );
    });
    assert.deepEqual(
      [unknown.status, unknown.stderr],
      [1, 'ERROR bad request: unknown context "app/0-x-0"\n'],
    );
  });

  test("-h and --help print usage and exit 0", async () => {
    const fx = await deployed(1);
    const r = await call(fx, "app/0", ["relation-get", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: relation-get/);
  });

  test("-o writes the output to a file relative to the charm dir", async () => {
    const fx = await deployed(1);
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["config-get", "--format=json", "-o", "out.json", "port"],
      ["cat", "out.json"],
    ]);
    assert.deepEqual(results, [ok(""), ok("8080\n")]);
  });

  test("an injected fault fails the next matching calls only", async () => {
    const fx = await deployed(1);
    fx.sim.injectFault({
      tool: "config-get",
      argsContains: "port",
      times: 2,
      exitCode: 1,
      stderr: "ERROR boom\n",
    });
    const { results, run } = await inHook(fx, "app/0", "update-status", [
      ["config-get", "greeting"],
      ["config-get", "port"],
      ["config-get", "port"],
      ["config-get", "port"],
    ]);
    assert.deepEqual(results, [
      ok("hello\n"),
      err(1, "ERROR boom\n"),
      err(1, "ERROR boom\n"),
      ok("8080\n"),
    ]);
    assert.deepEqual(run.toolCalls, [
      ["config-get", "greeting"],
      ["config-get", "port"],
      ["config-get", "port"],
      ["config-get", "port"],
    ]);
  });
});
