// relation-ids, relation-list, relation-get, relation-set and relation-model-get, run as real
// executables from inside hooks of the shell-charm fixture.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { call, copyFixture, inHook, type Deployed } from "./helpers.ts";

/** app (2 units, peers on relation 0), other (1 unit, peers on 1), app:served-other:upstream = 2. */
async function related(): Promise<Deployed> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 2 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  const leader = sim.leader("app")!;
  return { sim, charm, leader, follower: leader === "app/0" ? "app/1" : "app/0" };
}

const changed = { relationId: 2, remoteUnit: "other/0", remoteApp: "other" };
const err = (code: number, stderr: string) => ({ code, stdout: "", stderr });

describe("relation-ids and relation-list", () => {
  let fx: Deployed;
  before(async () => {
    fx = await related();
  });

  test("relation-ids lists the endpoint's relations, [] for an unknown endpoint", async () => {
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["relation-ids", "served"],
      ["relation-ids", "served", "--format=json"],
      ["relation-ids", "nope", "--format=json"],
      ["relation-ids", "nope"],
      ["relation-ids"],
      ["relation-ids", "a", "b"],
    ]);
    assert.deepEqual(results, [
      { code: 0, stdout: "served:2\n", stderr: "" },
      { code: 0, stdout: '["served:2"]\n', stderr: "" },
      { code: 0, stdout: "[]\n", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
      err(2, "ERROR no endpoint name specified\n"),
      err(2, 'ERROR unrecognized args: ["b"]\n'),
    ]);
  });

  test("relation-ids defaults to the hook's endpoint", async () => {
    const r = await call(fx, "app/0", ["relation-ids"], {
      hook: "served-relation-changed",
      spec: changed,
    });
    assert.deepEqual(r, { code: 0, stdout: "served:2\n", stderr: "" });
  });

  test("relation-list lists remote units, or the remote app with --app", async () => {
    const { results } = await inHook(
      fx,
      "app/0",
      "served-relation-changed",
      [
        ["relation-list"],
        ["relation-list", "--format=json", "-r", "served:2"],
        ["relation-list", "--format=json", "--app", "-r", "served:2"],
        ["relation-list", "--app"],
        ["relation-list", "-r", "0", "--format=json"],
        ["relation-list", "-r=served:0", "--format", "json"],
      ],
      changed,
    );
    assert.deepEqual(results, [
      { code: 0, stdout: "other/0\n", stderr: "" },
      { code: 0, stdout: '["other/0"]\n', stderr: "" },
      { code: 0, stdout: '"other"\n', stderr: "" },
      { code: 0, stdout: "other\n", stderr: "" },
      { code: 0, stdout: '["app/1"]\n', stderr: "" },
      { code: 0, stdout: '["app/1"]\n', stderr: "" },
    ]);
  });

  test("the relation id argument follows NewRelationIdValue", async () => {
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["relation-list"],
      ["relation-list", "-r", "99"],
      ["relation-list", "-r", "served:x"],
      ["relation-list", "-r=2"],
      ["relation-list", "--relation", "99"],
      ["relation-list", "-r", "2", "x", "y"],
      ["relation-list", "-r"],
    ]);
    assert.deepEqual(results, [
      err(2, "ERROR no relation id specified\n"),
      err(2, 'ERROR invalid value "99" for option -r: relation not found\n'),
      err(2, 'ERROR invalid value "served:x" for option -r: invalid relation id\n'),
      err(2, 'ERROR invalid value "=2" for option -r: invalid relation id\n'),
      err(2, 'ERROR invalid value "99" for option --relation: relation not found\n'),
      err(2, 'ERROR unrecognized args: ["x" "y"]\n'),
      err(2, "ERROR option needs an argument: -r\n"),
    ]);
  });
});

describe("relation-get", () => {
  let fx: Deployed;
  before(async () => {
    fx = await related();
    fx.sim.setRelationData(2, "other/0", {
      ...fx.sim.relationData(2, "other/0"),
      user: "<me&you>",
    });
    fx.sim.setRelationData(2, "other", { endpoint: "https://x" });
    fx.sim.setRelationData(0, "app", { peer: "shared" });
  });

  test("reads the remote unit's bag by default, with Juju's address keys", async () => {
    const { results } = await inHook(
      fx,
      "app/0",
      "served-relation-changed",
      [
        ["relation-get", "--format=json"],
        ["relation-get", "user"],
        ["relation-get", "missing"],
        ["relation-get", "missing", "--format=json"],
        ["relation-get", "--format=json", "-r", "served:2", "-", "other/0"],
        ["relation-get", "-r", "2", "-", "other/0", "--format=json"],
      ],
      changed,
    );
    const bag =
      '{"egress-subnets":"10.0.0.12/32","ingress-address":"10.0.0.12","private-address":"10.0.0.12","user":"\\u003cme\\u0026you\\u003e"}\n';
    assert.deepEqual(results, [
      { code: 0, stdout: bag, stderr: "" },
      { code: 0, stdout: "<me&you>\n", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
      { code: 0, stdout: "null\n", stderr: "" },
      { code: 0, stdout: bag, stderr: "" },
      { code: 0, stdout: bag, stderr: "" },
    ]);
  });

  test("--app reads the remote app's bag; a unit name is turned into its app", async () => {
    const { results } = await inHook(
      fx,
      "app/0",
      "served-relation-changed",
      [
        ["relation-get", "--app", "--format=json"],
        ["relation-get", "--app", "-", "other/0", "--format=json"],
        ["relation-get", "--app", "endpoint", "other"],
      ],
      changed,
    );
    assert.deepEqual(
      results.map((r) => r.stdout),
      ['{"endpoint":"https://x"}\n', '{"endpoint":"https://x"}\n', "https://x\n"],
    );
  });

  test("with no remote unit (app-level -changed, -broken) it reads the remote app", async () => {
    const r = await call(fx, "app/0", ["relation-get", "--format=json"], {
      hook: "served-relation-changed",
      spec: { relationId: 2, remoteApp: "other" },
    });
    assert.equal(r.stdout, '{"endpoint":"https://x"}\n');
  });

  test("needs a target when the context has none", async () => {
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["relation-get", "-r", "2"],
      ["relation-get", "-r", "2", "--app"],
      ["relation-get"],
      ["relation-get", "-r", "2", "-", "other/0", "extra"],
    ]);
    assert.deepEqual(results, [
      err(2, "ERROR no unit or application specified\n"),
      err(2, "ERROR no unit or application specified\n"),
      err(2, "ERROR no relation id specified\n"),
      err(2, 'ERROR unrecognized args: ["extra"]\n'),
    ]);
  });

  test("own app bag: leader sees pending writes, a non-leader is denied outside peers", async () => {
    const leader = await inHook(fx, fx.leader, "update-status", [
      ["relation-set", "-r", "2", "--app", "offer=1"],
      ["relation-set", "-r", "2", "mine=yes"],
      ["relation-get", "-r", "2", "--app", "offer", "app"],
      ["relation-get", "-r", "2", "mine", fx.leader],
    ]);
    assert.deepEqual(
      leader.results.map((r) => r.stdout),
      ["", "", "1\n", "yes\n"],
    );
    const follower = await inHook(fx, fx.follower, "update-status", [
      ["relation-get", "-r", "2", "--app", "-", "app"],
      ["relation-get", "-r", "0", "--app", "-", "app", "--format=json"],
      ["relation-get", "-r", "2", "-", "nobody/7"],
    ]);
    assert.deepEqual(follower.results, [
      err(1, "ERROR permission denied\n"),
      { code: 0, stdout: '{"peer":"shared"}\n', stderr: "" },
      err(1, "ERROR permission denied\n"),
    ]);
  });

  test("refuses what Juju's determineUnitOrAppName refuses, with its exit codes", async () => {
    const { results } = await inHook(fx, "app/1", "update-status", [
      ["relation-get", "-r", "2", "-", "other"],
      ["relation-get", "-r", "2", "-", "app"],
      ["relation-get", "-r", "2", "-", "other/01"],
      ["relation-get", "-r", "2", "-", "Other/0"],
      ["relation-get", "-r", "2", "-", "unit//0"],
      ["relation-get", "-r", "2", "-", "other/"],
      ["relation-get", "-r", "2", "--app", "-", "Bad!"],
      ["relation-get", "-r", "2", "--app", "-", "nobody"],
      ["relation-get", "-r", "2", "--app", "-", "nobody/3"],
    ]);
    assert.deepEqual(results, [
      err(2, 'ERROR expected unit name, got application name "other"\n'),
      err(2, 'ERROR expected unit name, got application name "app"\n'),
      err(2, 'ERROR invalid unit name "other/01"\n'),
      err(2, 'ERROR invalid unit name "Other/0"\n'),
      err(2, 'ERROR invalid unit name "unit//0"\n'),
      err(2, 'ERROR invalid unit name "other/"\n'),
      err(1, 'ERROR "" is not a valid unit or application\n'),
      err(1, "ERROR permission denied\n"),
      err(1, "ERROR permission denied\n"),
    ]);
  });

  test("a unit of the other side that never entered the relation is not found, as the controller says", async () => {
    const r = await call(fx, "app/0", ["relation-get", "-r", "2", "-", "other/9"]);
    assert.deepEqual(
      r,
      err(
        1,
        'ERROR cannot read settings for unit "other/9" in relation "other:upstream app:served": ' +
          'unit "other/9": settings not found\n',
      ),
    );
    const peer = await call(fx, "app/0", ["relation-get", "-r", "0", "-", "app/7"]);
    assert.equal(
      peer.stderr,
      'ERROR cannot read settings for unit "app/7" in relation "app:cluster": ' +
        'unit "app/7": settings not found\n',
    );
  });

  test("relation-model-get prints the model uuid", async () => {
    const r = await call(fx, "app/0", ["relation-model-get", "--format=json", "-r", "served:2"]);
    assert.equal(r.stdout, `{"uuid":"${fx.sim.state().model.uuid}"}\n`);
  });
});

describe("relation-set", () => {
  let fx: Deployed;
  before(async () => {
    fx = await related();
  });

  test("parses key=value like keyvalues.Parse and commits at exit 0", async () => {
    const { results, run } = await inHook(fx, "app/0", "update-status", [
      ["relation-set", "-r", "2", " spaced = out ", "", "plain=1"],
      ["relation-set", "-r", "2", "novalue"],
      ["relation-set", "-r", "2", "=v"],
      ["relation-set", "-r", "2", "a=1", "a=2"],
      ["relation-set", "plain=2"],
    ]);
    assert.equal(run.exitCode, 0);
    assert.deepEqual(results, [
      { code: 0, stdout: "", stderr: "" },
      err(2, 'ERROR expected "key=value", got "novalue"\n'),
      err(2, 'ERROR expected "key=value", got "=v"\n'),
      err(2, 'ERROR key "a" specified more than once\n'),
      err(2, "ERROR no relation id specified\n"),
    ]);
    const bag = fx.sim.relationData(2, "app/0");
    assert.equal(bag["spaced"], "out");
    assert.equal(bag["plain"], "1");
  });

  test("--file reads YAML or JSON, arguments override it, an empty value deletes", async () => {
    writeFileSync(join(fx.charm, "settings.yaml"), "fromfile: 'x'\nnum: 5\n");
    const { results } = await inHook(fx, "app/0", "update-status", [
      {
        argv: ["relation-set", "-r", "2", "--file", "-"],
        stdin: "a: 5\nb: yes\nc: ~\nplain: ''\n",
      },
      {
        argv: ["relation-set", "-r", "2", "--file", "-", "j=override"],
        stdin: '{"j": "json", "k": "v"}',
      },
      ["relation-set", "-r", "2", "--file", "settings.yaml"],
      { argv: ["relation-set", "-r", "2", "--file", "-"], stdin: "just a string" },
      { argv: ["relation-set", "-r", "2", "--file", "-"], stdin: "nested: {a: b}" },
    ]);
    assert.deepEqual(results.slice(0, 3), [
      { code: 0, stdout: "", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
      { code: 0, stdout: "", stderr: "" },
    ]);
    assert.equal(results[3]!.code, 1);
    assert.equal(results[3]!.stderr, 'ERROR expected YAML map, got "just a string"\n');
    assert.equal(results[4]!.code, 1);
    const bag = fx.sim.relationData(2, "app/0");
    assert.equal(bag["a"], "5");
    assert.equal(bag["b"], "yes");
    assert.equal("c" in bag, false);
    assert.equal("plain" in bag, false, "an empty value deletes the key");
    assert.equal(bag["j"], "override");
    assert.equal(bag["k"], "v");
    assert.equal(bag["fromfile"], "x");
    assert.equal(bag["num"], "5");
  });

  test("--app needs leadership; --format is accepted with a deprecation warning", async () => {
    const follower = await call(fx, fx.follower, ["relation-set", "-r", "2", "--app", "k=v"]);
    assert.deepEqual(follower, err(1, "ERROR cannot write relation settings\n"));
    const leader = await inHook(fx, fx.leader, "update-status", [
      ["relation-set", "-r", "2", "--app", "k=v", "--format", "json"],
    ]);
    assert.equal(leader.results[0]!.code, 0);
    assert.equal(leader.results[0]!.stderr, '--format flag deprecated for command "relation-set"');
    assert.deepEqual(fx.sim.relationData(2, "app"), { k: "v" });
  });

  test("writes stay invisible to other units until the hook commits", async () => {
    const { results } = await inHook(fx, "other/0", "update-status", [
      ["relation-set", "-r", "2", "pending=1"],
      ["relation-get", "-r", "2", "pending", "other/0"],
    ]);
    assert.equal(results[1]!.stdout, "1\n");
    assert.equal(fx.sim.relationData(2, "other/0")["pending"], "1");
  });
});
