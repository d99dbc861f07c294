import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HookToolError, HookToolOutputError, HookTools } from "../../src/juju/index.ts";
import { fail, fakeTools, ok } from "./fake-tools.ts";

function toolsAnswering(value: unknown) {
  const fake = fakeTools(() => ok(value));
  return { tools: new HookTools(fake.runner), calls: fake.calls };
}

describe("HookTools argv forms", () => {
  const cases: [string, (tools: HookTools) => unknown, unknown, string[]][] = [
    [
      "relation-ids",
      (t) => t.relationIds("certificates"),
      ["certificates:1"],
      ["relation-ids", "certificates", "--format=json"],
    ],
    [
      "relation-list",
      (t) => t.relationUnits(3),
      ["a/0"],
      ["relation-list", "--format=json", "-r", "3"],
    ],
    [
      "relation-list --app",
      (t) => t.relationRemoteApp(3),
      "vault",
      ["relation-list", "--format=json", "--app", "-r", "3"],
    ],
    [
      "relation-get unit",
      (t) => t.relationGetUnit(3, "a/0"),
      { k: "v" },
      ["relation-get", "--format=json", "-r", "3", "-", "a/0"],
    ],
    [
      "relation-get app",
      (t) => t.relationGetApp(3, "a"),
      { k: "v" },
      ["relation-get", "--format=json", "-r", "3", "--app", "-", "a"],
    ],
    ["is-leader", (t) => t.isLeader(), true, ["is-leader", "--format=json"]],
    ["config-get", (t) => t.configGet(), { a: 1 }, ["config-get", "--format=json"]],
    ["action-get", (t) => t.actionGet(), { "relation-id": 3 }, ["action-get", "--format=json"]],
  ];
  for (const [name, call, answer, argv] of cases) {
    it(`${name} runs ${argv.join(" ")} and parses Juju's JSON`, () => {
      const { tools, calls } = toolsAnswering(answer);
      assert.deepEqual(call(tools), answer);
      assert.deepEqual([calls[0]?.tool, ...(calls[0]?.args ?? [])], argv);
    });
  }

  it("relation-set sends the changes as a --file on stdin", () => {
    const { tools, calls } = toolsAnswering("");
    tools.relationSet(4, true, { certificates: "[]", gone: "" });
    assert.deepEqual(calls[0]?.args, ["-r", "4", "--app", "--file", "-"]);
    assert.deepEqual(JSON.parse(calls[0]?.stdin ?? ""), { certificates: "[]", gone: "" });
  });

  it("status-set separates the message with -- so a leading dash is not a flag", () => {
    const { tools, calls } = toolsAnswering("");
    tools.statusSet("blocked", "-x is bad");
    assert.deepEqual(calls[0]?.args, ["--application=False", "blocked", "--", "-x is bad"]);
  });

  it("juju-log passes the level and splits lines longer than one argv element allows", () => {
    const { tools, calls } = toolsAnswering("");
    tools.jujuLog("WARNING", "x".repeat(131071 + 5));
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0]?.args.slice(0, 3), ["--log-level", "WARNING", "--"]);
    assert.equal(calls[1]?.args[3], "xxxxx");
  });

  it("action-set, action-fail and action-log use Juju's argv", () => {
    const { tools, calls } = toolsAnswering("");
    tools.actionSet({ result: "a=b", "nested.key": "v" });
    tools.actionFail("-bad");
    tools.actionLog("working");
    assert.deepEqual(
      calls.map((call) => [call.tool, ...call.args]),
      [
        ["action-set", "result=a=b", "nested.key=v"],
        ["action-fail", "--", "-bad"],
        ["action-log", "--", "working"],
      ],
    );
  });

  it("status-set --application=True and application-version-set use Juju's argv", () => {
    const { tools, calls } = toolsAnswering("");
    tools.statusSet("active", "ready", true);
    tools.applicationVersionSet("1.2.3");
    assert.deepEqual(
      calls.map((call) => [call.tool, ...call.args]),
      [
        ["status-set", "--application=True", "active", "--", "ready"],
        ["application-version-set", "--", "1.2.3"],
      ],
    );
  });

  it("reads an empty application databag printed as null", () => {
    const { tools } = toolsAnswering(null);
    assert.deepEqual(tools.relationGetApp(1, "a"), {});
  });
});

describe("HookTools caching and errors", () => {
  it("runs a read only once per dispatch for the same arguments", () => {
    const { tools, calls } = toolsAnswering(["a/0"]);
    tools.relationUnits(1);
    tools.relationUnits(1);
    tools.relationUnits(2);
    assert.equal(calls.length, 2);
  });

  it("raises HookToolError with Juju's message when a tool exits non-zero", () => {
    const fake = fakeTools(() => fail(2, 'invalid value "9" for option -r: relation not found'));
    const tools = new HookTools(fake.runner);
    assert.throws(
      () => tools.relationUnits(9),
      (error: unknown) =>
        error instanceof HookToolError &&
        error.exitCode === 2 &&
        /relation not found/.test(error.message),
    );
  });

  it("raises HookToolOutputError when the output is not what Juju prints", () => {
    const fake = fakeTools(() => ({ exitCode: 0, stdout: "True\n", stderr: "" }));
    assert.throws(() => new HookTools(fake.runner).isLeader(), HookToolOutputError);
    const wrongShape = fakeTools(() => ok({ a: 1 }));
    assert.throws(
      () => new HookTools(wrongShape.runner).relationGetUnit(1, "a/0"),
      HookToolOutputError,
    );
  });
});
