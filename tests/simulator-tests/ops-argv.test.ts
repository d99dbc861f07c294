// Replays every argv form of spec §4 (ops >= 3 and ops 2.23.2) and checks Juju's answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { copyFixture, inAction, inHook, type Call, type Fixture } from "./helpers.ts";

async function related(): Promise<Fixture> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  sim.setRelationData(2, "other", { remote: "app-data" });
  return { sim, charm };
}

const addr = (ip: string) =>
  `{"egress-subnets":"${ip}/32","ingress-address":"${ip}","private-address":"${ip}"}\n`;
const spec = { relationId: 2, remoteUnit: "other/0", remoteApp: "other" };

test("ops >= 3 hook-tool argv forms get Juju's answers", async () => {
  const fx = await related();
  const calls: (Call | string[])[] = [
    ["relation-ids", "served", "--format=json"],
    ["relation-list", "--format=json", "-r", "served:2"],
    ["relation-list", "--format=json", "--app", "-r", "served:2"],
    ["relation-get", "--format=json", "-r", "served:2", "-", "other/0"],
    ["relation-get", "--format=json", "-r", "served:2", "--app", "-", "other"],
    { argv: ["relation-set", "-r", "served:2", "--file", "-"], stdin: '{"unit-key": "u<1>"}' },
    { argv: ["relation-set", "-r", "served:2", "--app", "--file", "-"], stdin: '{"app-key": "a"}' },
    ["relation-model-get", "--format=json", "-r", "served:2"],
    ["config-get", "--format=json"],
    ["is-leader", "--format=json"],
    ["status-set", "--application=False", "active", "--", "ready"],
    ["status-get", "--include-data", "--format=json", "--application=false"],
    ["application-version-set", "--", "1.0"],
    ["juju-log", "--log-level", "DEBUG", "--", "line"],
  ];
  const { results, run } = await inHook(fx, "app/0", "served-relation-changed", calls, spec);
  assert.equal(run.exitCode, 0);
  assert.deepEqual(
    results.map((r) => [r.code, r.stdout, r.stderr]),
    [
      [0, '["served:2"]\n', ""],
      [0, '["other/0"]\n', ""],
      [0, '"other"\n', ""],
      [0, addr("10.0.0.11"), ""],
      [0, '{"remote":"app-data"}\n', ""],
      [0, "", ""],
      [0, "", ""],
      [0, `{"uuid":"${fx.sim.state().model.uuid}"}\n`, ""],
      [0, '{"debug":false,"greeting":"hello","port":8080,"ratio":0.5}\n', ""],
      [0, "true\n", ""],
      [0, "", ""],
      [0, '{"message":"ready","status":"active","status-data":{}}\n', ""],
      [0, "", ""],
      [0, "", ""],
    ],
  );
  assert.equal(fx.sim.relationData(2, "app/0")["unit-key"], "u<1>");
  assert.deepEqual(fx.sim.relationData(2, "app"), { "app-key": "a" });
  assert.deepEqual(fx.sim.logs("app/0").at(-1), { level: "DEBUG", message: "served:2: line" });

  const action = await inAction(fx, "app/0", "open", {}, [
    ["action-get", "--format=json"],
    ["action-set", "k1=v1", "k2.sub=v2"],
    ["action-log", "--", "progress"],
    ["action-fail", "--", "failed on purpose"],
  ]);
  assert.deepEqual(
    action.results.map((r) => r.code),
    [0, 0, 0, 0],
  );
  assert.equal(action.run.status, "failed");
  assert.equal(action.run.message, "failed on purpose");
  assert.deepEqual(action.run.logs, ["progress"]);
  assert.deepEqual(action.run.results, { k1: "v1", k2: { sub: "v2" }, "return-code": 0 });
});

test("ops 2.23.2 hook-tool argv forms (--format=json last) get Juju's answers", async () => {
  const fx = await related();
  const { results, run } = await inHook(
    fx,
    "app/0",
    "served-relation-changed",
    [
      ["relation-ids", "served", "--format=json"],
      ["relation-list", "-r", "2", "--format=json"],
      ["relation-list", "-r", "2", "--app", "--format=json"],
      ["relation-get", "-r", "2", "-", "other/0", "--format=json"],
      ["relation-get", "-r", "2", "-", "other", "--app", "--format=json"],
      { argv: ["relation-set", "-r", "2", "--file", "-"], stdin: "unit-key: u\nnum: '5'\n" },
      { argv: ["relation-set", "-r", "2", "--app", "--file", "-"], stdin: "app-key: a\n" },
      ["relation-model-get", "-r", "2", "--format=json"],
      ["status-get", "--include-data", "--application=False", "--format=json"],
      ["status-set", "--application=False", "blocked", "needs config"],
      ["status-get", "--include-data", "--application=True", "--format=json"],
    ],
    spec,
  );
  assert.equal(run.exitCode, 0);
  assert.deepEqual(
    results.map((r) => [r.code, r.stdout, r.stderr]),
    [
      [0, '["served:2"]\n', ""],
      [0, '["other/0"]\n', ""],
      [0, '"other"\n', ""],
      [0, addr("10.0.0.11"), ""],
      [0, '{"remote":"app-data"}\n', ""],
      [0, "", ""],
      [0, "", ""],
      [0, `{"uuid":"${fx.sim.state().model.uuid}"}\n`, ""],
      [0, '{"message":"","status":"unknown","status-data":{}}\n', ""],
      [0, "", ""],
      [
        0,
        '{"application-status":{"message":"","status":"unknown","status-data":{},"units":{"app/0":{"message":"needs config","status":"blocked","status-data":{}}}}}\n',
        "",
      ],
    ],
  );
  assert.equal(fx.sim.relationData(2, "app/0")["num"], "5");
  assert.deepEqual(fx.sim.relationData(2, "app"), { "app-key": "a" });

  const action = await inAction(fx, "app/0", "open", {}, [
    ["action-log", "legacy", "progress"],
    ["action-fail", "legacy failure"],
  ]);
  assert.deepEqual(
    action.results.map((r) => r.code),
    [0, 0],
  );
  assert.equal(action.run.message, "legacy failure");
  assert.deepEqual(action.run.logs, ["legacy progress"]);
});
