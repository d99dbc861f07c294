// How a hook process is run: its exact environment, argv, cwd and stdin, and what its exit
// status does to buffered writes and to the unit's agent status.
import assert from "node:assert/strict";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { agentPath, NODE_PROGRAMS, SYSTEM_PATH } from "../simulator/agent-path.ts";
import { CHARM_DIR } from "../e2e/harness.ts";
import { Simulator } from "../simulator/index.ts";
import { defaultHookTimeoutMs } from "../simulator/runner.ts";
import { copyFixture, deployed, inHook, shq, writeScript } from "./helpers.ts";

test("a dispatch gets exactly the environment of spec §1.2, argv [dispatch], cwd charm dir, stdin /dev/null", async () => {
  const fx = await deployed(2);
  const out = mkdtempSync(join(tmpdir(), "env-"));
  writeScript(
    fx.charm,
    "cluster-relation-departed",
    `env > ${shq(join(out, "env"))}\nreadlink /proc/self/fd/0 > ${shq(join(out, "stdin"))}\n` +
      `printf '%s|%s|%s' "$0" "$#" "$(pwd)" > ${shq(join(out, "argv"))}\n`,
  );
  const run = await fx.sim.runHook("app/0", "cluster-relation-departed", {
    relationId: 0,
    remoteUnit: "app/1",
    departingUnit: "app/1",
  });
  assert.equal(run.exitCode, 0);
  const env = Object.fromEntries(
    readFileSync(join(out, "env"), "utf8")
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  // sh itself adds PWD (and may add SHLVL/_); everything else must come from Juju's list.
  for (const shellOwn of ["PWD", "SHLVL", "_", "OLDPWD"]) delete env[shellOwn];
  const state = fx.sim.state();
  const contextId = env["JUJU_CONTEXT_ID"]!;
  assert.match(contextId, /^app\/0-cluster-relation-departed-[0-9a-f]{32}$/);
  const charmDir = fx.sim.charmDir("app/0");
  assert.deepEqual(env, {
    JUJU_DISPATCH_PATH: "hooks/cluster-relation-departed",
    CHARM_DIR: charmDir,
    JUJU_CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: contextId,
    JUJU_HOOK_NAME: "cluster-relation-departed",
    JUJU_AGENT_SOCKET_ADDRESS: join(fx.sim.dir, "agent.socket"),
    JUJU_AGENT_SOCKET_NETWORK: "unix",
    JUJU_UNIT_NAME: "app/0",
    JUJU_MODEL_UUID: state.model.uuid,
    JUJU_MODEL_NAME: "test-model",
    JUJU_API_ADDRESSES: "10.0.0.1:17070",
    JUJU_SLA: "unsupported",
    JUJU_MACHINE_ID: "0",
    JUJU_PRINCIPAL_UNIT: "",
    JUJU_AVAILABILITY_ZONE: "",
    JUJU_VERSION: "3.6.4",
    CLOUD_API_VERSION: "",
    JUJU_CHARM_HTTP_PROXY: "",
    JUJU_CHARM_HTTPS_PROXY: "",
    JUJU_CHARM_FTP_PROXY: "",
    JUJU_CHARM_NO_PROXY: "",
    JUJU_RELATION: "cluster",
    JUJU_RELATION_ID: "cluster:0",
    JUJU_REMOTE_UNIT: "app/1",
    JUJU_REMOTE_APP: "app",
    JUJU_DEPARTING_UNIT: "app/1",
    APT_LISTCHANGES_FRONTEND: "none",
    DEBIAN_FRONTEND: "noninteractive",
    LANG: "C.UTF-8",
    TERM: "tmux-256color",
    PATH: `${fx.sim.toolsDir}:${agentPath()}`,
  });
  assert.equal(readFileSync(join(out, "stdin"), "utf8").trim(), "/dev/null");
  assert.equal(
    readFileSync(join(out, "argv"), "utf8"),
    `${join(charmDir, "dispatch")}|0|${charmDir}`,
  );
});

test("a hook exiting non-zero leaves no relation write behind and puts the unit in error", async () => {
  const fx = await deployed(2);
  const { run } = await inHook(
    fx,
    fx.leader,
    "cluster-relation-changed",
    [
      ["relation-set", "k=v"],
      ["relation-set", "--app", "shared=1"],
      ["status-set", "maintenance", "half way"],
      ["juju-log", "before failing"],
      ["sh", "-c", "exit 0"],
    ],
    { relationId: 0, remoteUnit: fx.follower },
  );
  assert.equal(run.exitCode, 0);
  writeScript(
    fx.charm,
    "config-changed",
    "relation-set -r 0 lost=1\nrelation-set -r 0 --app lost=1\nstatus-set blocked kept\nexit 1\n",
  );
  const failed = await fx.sim.runHook(fx.leader, "config-changed");
  assert.equal(failed.exitCode, 1);
  assert.equal(fx.sim.relationData(0, fx.leader)["lost"], undefined);
  assert.equal(fx.sim.relationData(0, fx.leader)["k"], "v");
  assert.deepEqual(fx.sim.relationData(0, "app"), { shared: "1" });
  assert.deepEqual(fx.sim.unitStatus(fx.leader), { status: "blocked", message: "kept", data: {} });
  assert.deepEqual(fx.sim.agentStatus(fx.leader), {
    status: "error",
    message: 'hook failed: "config-changed"',
    data: { hook: "config-changed" },
  });
  // The unit runs nothing else until the failed hook is retried; what falls due is owed.
  await fx.sim.config("app", { greeting: "again" });
  assert.equal(fx.sim.agentStatus(fx.leader).status, "error");
  rmSync(join(fx.charm, "scripts", "config-changed.sh"));
  await fx.sim.resolve(fx.leader);
  assert.equal(fx.sim.agentStatus(fx.leader).status, "idle");
  // The leader also owes -changed for the peer application data it wrote itself.
  assert.deepEqual(
    fx.sim
      .hookLog()
      .slice(-3)
      .map((h) => [h.unit, h.name, h.remoteApp, h.exitCode]),
    [
      [fx.leader, "config-changed", "", 0],
      [fx.leader, "config-changed", "", 0],
      [fx.leader, "cluster-relation-changed", "app", 0],
    ],
  );
});

test("without dispatch hooks are skipped and actions fail as not implemented", async () => {
  const fx = await deployed(1);
  rmSync(join(fx.charm, "dispatch"));
  const run = await fx.sim.runHook("app/0", "update-status");
  assert.deepEqual([run.exitCode, run.skipped], [0, true]);
  const action = await fx.sim.runAction("app/0", "open");
  assert.equal(action.status, "failed");
  assert.equal(action.message, 'action not implemented on unit "app/0"');
});

test("a dispatch that is not executable fails the hook", async () => {
  const fx = await deployed(1);
  chmodSync(join(fx.charm, "dispatch"), 0o644);
  const run = await fx.sim.runHook("app/0", "update-status");
  assert.notEqual(run.exitCode, 0);
  assert.match(run.stderr, /permission denied/);
  assert.equal(fx.sim.agentStatus("app/0").status, "error");
});

// internal/worker/common/charmrunner/logger.go reads hook output with bufio.ReadLine (4096-byte
// buffer); runner.go's bufferAdaptor ends every complete line with "\n" and the runner keeps its
// pipe end open until after HookLogger.Stop, so a last line without "\n" never arrives.
test("captured output is what Juju's line reader keeps: whole lines, each ending in a newline", async () => {
  const fx = await deployed(1);
  const long = "x".repeat(5000);
  writeScript(
    fx.charm,
    "update-status",
    `printf 'one\\ntwo\\r\\n\\n${long}\\nno-newline'\nprintf 'bad\\n' >&2\n`,
  );
  const before = fx.sim.logs("app/0").length;
  const run = await fx.sim.runHook("app/0", "update-status");
  assert.equal(run.exitCode, 0);
  assert.deepEqual(fx.sim.logs("app/0").slice(before), [
    { level: "DEBUG", message: "one" },
    { level: "DEBUG", message: "two" },
    { level: "DEBUG", message: "" },
    { level: "DEBUG", message: "x".repeat(4096) },
    { level: "DEBUG", message: "x".repeat(904) },
    { level: "WARNING", message: "bad" },
  ]);
  writeScript(fx.charm, "open", `printf 'a\\r\\nb\\n${long}\\npartial'\nprintf 'e1\\ne2' >&2\n`);
  const action = await fx.sim.runAction("app/0", "open");
  assert.equal(action.results["stdout"], `a\nb\n${long}\n`);
  assert.equal(action.results["stderr"], "e1\n");
});

test("a hook runs as long as it takes up to the configured limit, then is killed", async () => {
  const previous = process.env["SIM_HOOK_TIMEOUT_MS"];
  process.env["SIM_HOOK_TIMEOUT_MS"] = "300";
  try {
    const sim = await Simulator.create();
    const charm = copyFixture();
    await sim.deploy("app", charm, { units: 1 });
    writeScript(charm, "update-status", "sleep 30\n");
    const started = Date.now();
    const run = await sim.runHook("app/0", "update-status");
    assert.ok(Date.now() - started < 10_000, "the whole process group was killed");
    assert.notEqual(run.exitCode, 0);
    assert.match(run.stderr, /killed after 300 ms \(hookTimeoutMs, SIM_HOOK_TIMEOUT_MS\)/);
    assert.equal(sim.agentStatus("app/0").status, "error");
  } finally {
    if (previous === undefined) delete process.env["SIM_HOOK_TIMEOUT_MS"];
    else process.env["SIM_HOOK_TIMEOUT_MS"] = previous;
  }
  const slow = await Simulator.create({ hookTimeoutMs: 200 });
  const charm = copyFixture();
  writeScript(charm, "install", "sleep 1\n");
  await slow.deploy("app", charm, { units: 1 });
  assert.equal(slow.agentStatus("app/0").status, "error");
  assert.equal(defaultHookTimeoutMs(), 600_000);
});

// internal/worker/uniter/runner/context/env.go appendPath: PATH is the tools dir, then the agent's
// own PATH, which on a Juju machine holds no Node.js. The project's dispatch must find bin/node.
test("a hook's PATH holds no Node.js, so the project's dispatch runs the charm's own bin/node", async () => {
  const charm = mkdtempSync(join(tmpdir(), "node-charm-"));
  cpSync(join(CHARM_DIR, "dispatch"), join(charm, "dispatch"));
  writeFileSync(join(charm, "metadata.yaml"), "name: node-charm\n");
  mkdirSync(join(charm, "dist"));
  const out = join(charm, "seen.json");
  writeFileSync(
    join(charm, "dist", "charm.mjs"),
    'import { execFileSync } from "node:child_process";\n' +
      'import { writeFileSync } from "node:fs";\n' +
      'const leader = execFileSync("is-leader", ["--format=json"], { encoding: "utf8" });\n' +
      `const seen = { argv0: process.argv0, path: process.env.PATH, leader };\n` +
      `writeFileSync(${JSON.stringify(out)}, JSON.stringify(seen));\n`,
  );
  const sim = await Simulator.create();
  await sim.deploy("app", charm, { units: 1 });
  const seen = JSON.parse(readFileSync(out, "utf8")) as {
    argv0: string;
    path: string;
    leader: string;
  };
  assert.equal(seen.argv0, join(sim.charmDir("app/0"), "bin", "node"));
  const dirs = seen.path.split(":");
  assert.equal(dirs[0], sim.toolsDir);
  assert.equal(dirs.length, 1 + SYSTEM_PATH.split(":").length);
  for (const dir of dirs) {
    for (const name of NODE_PROGRAMS)
      assert.equal(existsSync(join(dir, name)), false, `${dir}/${name}`);
  }
  // The hook tools still run: their wrapper names its interpreter by absolute path.
  assert.equal(seen.leader, "true\n");
  // A charm whose bin/node cannot run: dispatch looks for node on PATH and finds none.
  mkdirSync(join(charm, "bin"));
  writeFileSync(join(charm, "bin", "node"), "not a program\n", { mode: 0o644 });
  const run = await sim.runHook("app/0", "update-status");
  assert.equal(run.exitCode, 1);
  assert.match(
    run.stderr,
    /ERROR no Node.js runtime: .*bin\/node is missing and node is not on PATH/,
  );
});

test("what a hook writes in its charm dir is still there in the next hook, as under Juju", async () => {
  const fx = await deployed(1);
  writeScript(
    fx.charm,
    "update-status",
    `mkdir -p kept-dir && echo one > kept-dir/f && echo two > kept-file\n`,
  );
  assert.equal((await fx.sim.runHook("app/0", "update-status")).exitCode, 0);
  writeScript(fx.charm, "config-changed", `cat kept-dir/f kept-file\n`);
  const next = await fx.sim.runHook("app/0", "config-changed");
  assert.equal(next.exitCode, 0, next.stderr);
  assert.equal(next.stdout, "one\ntwo\n");
  // Nothing the charm wrote went into the charm's source.
  assert.equal(existsSync(join(fx.charm, "kept-dir")), false);
});
