// Action tools, action results and status, and `juju run` parameter typing and validation.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { coerceValue, parseCliParams } from "../simulator/action-params.ts";
import { actionSchema, insertDefaults, validateParams } from "../simulator/action-schema.ts";
import { call, deployed, inAction, inHook, type Fixture } from "./helpers.ts";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });
const err = (code: number, stderr: string) => ({ code, stdout: "", stderr });
const KEY_RULE_TEXT =
  "must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods";

describe("action tools", () => {
  let fx: Fixture;
  before(async () => {
    fx = await deployed(1);
  });

  test("outside an action every action tool fails with not running an action", async () => {
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["action-get"],
      ["action-set", "a=b"],
      ["action-fail", "x"],
      ["action-log", "x"],
      ["action-set", "Bad=1"],
      ["action-log"],
    ]);
    assert.deepEqual(results, [
      err(1, "ERROR not running an action\n"),
      err(1, "ERROR not running an action\n"),
      err(1, "ERROR not running an action\n"),
      err(1, "ERROR not running an action\n"),
      err(2, `ERROR key "Bad" ${KEY_RULE_TEXT}\n`),
      err(2, "ERROR no message specified\n"),
    ]);
  });

  test("action-get prints params with defaults inserted, walks dotted keys, keeps JSON types", async () => {
    const { results, run } = await inAction(
      fx,
      "app/0",
      "do",
      ["mode=fast", "nested.other=1"],
      [
        ["action-get", "--format=json"],
        ["action-get", "count"],
        ["action-get", "nested.other", "--format=json"],
        ["action-get", "nested.inner"],
        ["action-get", "missing.key", "--format=json"],
        ["action-get", "a", "b"],
      ],
    );
    assert.equal(run.status, "completed");
    assert.deepEqual(results, [
      ok('{"count":3,"mode":"fast","nested":{"inner":"x","other":1}}\n'),
      ok("3\n"),
      ok("1\n"),
      ok("x\n"),
      ok("null\n"),
      err(2, 'ERROR unrecognized args: ["b"]\n'),
    ]);
  });

  test("action-get of an action without params prints {}", async () => {
    const { results } = await inAction(fx, "app/0", "open", {}, [
      ["action-get", "--format=json"],
      ["action-get"],
    ]);
    assert.deepEqual(results, [ok("{}\n"), ok("{}\n")]);
  });

  test("action-set checks every dotted segment and builds nested results", async () => {
    const { results, run } = await inAction(
      fx,
      "app/0",
      "open",
      {},
      [
        ["action-set", "a.b=1", "a.c=2", "plain=x y", "x=1", "x.y=2"],
        ["action-set", "Upper=1"],
        ["action-set", "under_score=1"],
        ["action-set", "a..b=1"],
        ["action-set", "stdout=x"],
        ["action-set", "foo.stderr-encoding=x"],
        ["action-set", "novalue"],
        ["action-set"],
        ["action-set", "return-code=5"],
      ],
      "echo out\necho err >&2\n",
    );
    assert.deepEqual(results, [
      ok(""),
      err(2, `ERROR key "Upper" ${KEY_RULE_TEXT}\n`),
      err(2, `ERROR key "under_score" ${KEY_RULE_TEXT}\n`),
      err(2, `ERROR key "" ${KEY_RULE_TEXT}\n`),
      err(2, 'ERROR cannot set reserved action key "stdout"\n'),
      err(2, 'ERROR cannot set reserved action key "stderr-encoding"\n'),
      err(2, 'ERROR argument "novalue" must be of the form key...=value\n'),
      ok(""),
      ok(""),
    ]);
    assert.deepEqual(run.results, {
      a: { b: "1", c: "2" },
      plain: "x y",
      x: { y: "2" },
      "return-code": 0,
      stdout: "out\n",
      stderr: "err\n",
    });
  });

  test("action-fail marks the task failed and keeps the message when the action exits 0", async () => {
    const withMessage = await inAction(fx, "app/0", "open", {}, [
      ["action-fail", "--", "-bad"],
      ["action-log", "still", "running"],
    ]);
    assert.equal(withMessage.run.status, "failed");
    assert.equal(withMessage.run.message, "-bad");
    assert.deepEqual(withMessage.run.logs, ["still running"]);
    const noMessage = await inAction(fx, "app/0", "open", {}, [
      ["action-fail"],
      ["action-fail", "a", "b"],
    ]);
    assert.equal(
      noMessage.run.message,
      "action failed without reason given, check action for errors",
    );
    assert.deepEqual(noMessage.results[1], err(2, 'ERROR unrecognized args: ["b"]\n'));
  });

  test("a non-zero exit fails the action with exit status N, replacing action-fail's message", async () => {
    const { run } = await inAction(fx, "app/0", "open", {}, [["action-fail", "mine"]], "exit 3\n");
    assert.equal(run.status, "failed");
    assert.equal(run.message, "exit status 3");
    assert.equal(run.results["return-code"], 3);
    assert.equal(run.exitCode, 3);
  });

  test("unknown actions and invalid params never run", async () => {
    await assert.rejects(
      fx.sim.runAction("app/0", "nope"),
      /action "nope" not defined on unit "app\/0"/,
    );
    await assert.rejects(fx.sim.runAction("app/0", "do", ["count=abc"]), {
      message: 'validation failed: (root).count : must be of type integer, given "abc"',
    });
    const before = fx.sim.state().tasks.length;
    await assert.rejects(fx.sim.runAction("app/leader", "strict", { name: 1, extra: true }));
    assert.equal(fx.sim.state().tasks.length, before);
  });

  test("app/leader runs on the leader; JUJU_ACTION_* name the task", async () => {
    const r = await inAction(fx, "app/leader", "open", {}, [
      ["sh", "-c", 'echo "$JUJU_ACTION_NAME $JUJU_ACTION_UUID $JUJU_ACTION_TAG $JUJU_HOOK_NAME."'],
    ]);
    assert.equal(r.results[0]!.stdout, `open ${r.run.id} action-${r.run.id} .\n`);
  });

  test("tool writes from a hook reach action-get nowhere else (params are per task)", async () => {
    assert.deepEqual(
      await call(fx, "app/0", ["action-get", "count"]),
      err(1, "ERROR not running an action\n"),
    );
  });
});

describe("juju run parameter typing (YAML 1.1, yaml.v2)", () => {
  test("values are typed as yaml.v2 would type them", () => {
    const cases: [string, unknown][] = [
      ["5", 5],
      ["1_000", 1000],
      ["0x1F", 31],
      ["0755", 493],
      ["-12", -12],
      ["1.5", 1.5],
      ["1e3", 1000],
      ["true", true],
      ["yes", true],
      ["y", true],
      ["on", true],
      ["no", false],
      ["n", false],
      ["off", false],
      ["False", false],
      ["~", null],
      ["null", null],
      ["", ""],
      ["[1, 2]", [1, 2]],
      ["{a: b}", { a: "b" }],
      ["hello world", "hello world"],
      ["08", 8],
      ["1.2.3", "1.2.3"],
    ];
    for (const [input, expected] of cases) assert.deepEqual(coerceValue(input), expected, input);
  });

  test("dotted keys nest; keys follow the action key rule", () => {
    assert.deepEqual(parseCliParams(["a.b=1", "a.c=x", "top="]), { a: { b: 1, c: "x" }, top: "" });
    assert.throws(() => parseCliParams(["Bad=1"]), {
      message:
        'key "Bad" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens',
    });
    // cmd/juju/action/run.go Init: the form named in the message is juju run's, not action-set's.
    assert.throws(() => parseCliParams(["novalue"]), {
      message: 'argument "novalue" must be of the form key.key.key...=value',
    });
  });

  // gopkg.in/yaml.v2 resolve.go (resolve, resolveTable, yamlStyleFloat) and decode.go (scalar:
  // quoted scalars stay strings, timestamps decode into interface{} as text); run.go's
  // enqueueActions (a value with no YAML document keeps its text; addValueToMap steps only into
  // map[string]interface{}); the JSON the API client sends (encoding/json refuses NaN, ±Inf and
  // map[interface{}]interface{}, which is what a YAML map value still is in actionParams).
  test("juju run key=value is typed exactly as yaml.v2 types it and the API can carry it", () => {
    const typed: [string, unknown][] = [
      ["x=- a", ["a"]],
      ["x=- 1\n- yes", [1, true]],
      ["x=[1, yes, '2', ~]", [1, true, "2", null]],
      ["x=.5", 0.5],
      ["x=1_2.5", 12.5],
      ["x=1.5e3", 1500],
      ["x=08", 8],
      ["x=017", 15],
      ["x=0o17", 15],
      ["x=0b101", 5],
      ["x=-0b101", -5],
      ["x=+12", 12],
      ["x=9223372036854775808", 2 ** 63], // uint64
      ["x=-9223372036854775809", -(2 ** 63)], // out of int64: a float
      ["x=1e400", "1e400"],
      ["x=0x1p-2", "0x1p-2"],
      ["x=1:30", "1:30"],
      ["x=0.1.2", "0.1.2"],
      ["x=2001-12-14", "2001-12-14"],
      ["x=On", true],
      ["x=OFF", false],
      ["x=nULL", "nULL"],
      ["x=Yes please", "Yes please"],
      ['x="yes"', "yes"],
      ["x='08'", "08"],
      ["x=!!str 12", "12"],
      ["x=|\n  two\n  lines", "two\nlines"],
      ["x=", ""],
      ["x=# only a comment", "# only a comment"],
      ["x=  ", "  "],
      ["x=---", null],
      ["x=a=b", "a=b"],
    ];
    for (const [arg, expected] of typed) {
      assert.deepEqual(parseCliParams([arg]), { x: expected }, arg);
    }
    assert.deepEqual(parseCliParams(["x={a: 1}", "x.b=2"]), { x: { b: 2 } });
    assert.deepEqual(parseCliParams(["x=1", "x.b=2"]), { x: { b: 2 } });
    const refused: [string, string][] = [
      ["x=.inf", "json: unsupported value: +Inf"],
      ["x=-.Inf", "json: unsupported value: -Inf"],
      ["x=[1, .nan]", "json: unsupported value: NaN"],
      ["x={a: b}", "json: unsupported type: map[interface {}]interface {}"],
      ["x=a: b", "json: unsupported type: map[interface {}]interface {}"],
      ["x=[{a: b}]", "json: unsupported type: map[interface {}]interface {}"],
      ["x={1: b}", "map keyed with non-string value"],
      ["x={yes: b}", "map keyed with non-string value"],
    ];
    for (const [arg, message] of refused) {
      assert.throws(() => parseCliParams([arg]), { message }, arg);
    }
    assert.throws(() => parseCliParams(['x="']), /^Error: yaml: /);
  });
});

describe("action params schema", () => {
  const schema = actionSchema("do", {
    description: "d",
    params: {
      count: { type: "integer", default: 3 },
      mode: { type: "string", enum: ["fast", "slow"] },
      name: { type: "string" },
    },
    required: ["name"],
    additionalProperties: false,
    parallel: true,
  });

  test("is built as charm.ReadActionsYaml builds it", () => {
    assert.deepEqual(Object.keys(schema).sort(), [
      "additionalProperties",
      "description",
      "properties",
      "required",
      "title",
      "type",
    ]);
    assert.equal(schema["title"], "do");
  });

  test("reports gojsonschema's messages joined with '; '", () => {
    assert.equal(
      validateParams(schema, { count: "abc", mode: "medium", extra: 1 }),
      'validation failed: (root) : additional property "extra" is not allowed, given {"count":"abc","extra":1,"mode":"medium"}; ' +
        '(root) : name is missing and required, given {"count":"abc","extra":1,"mode":"medium"}; ' +
        '(root).count : must be of type integer, given "abc"; ' +
        '(root).mode : must match one of the enum values ["fast", "slow"], given "medium"',
    );
    assert.equal(validateParams(schema, { name: "x", count: 2.0 }), undefined);
    assert.equal(validateParams(actionSchema("open", {}), { anything: 1 }), undefined);
  });

  test("defaults are inserted after validation", () => {
    assert.deepEqual(insertDefaults(schema, { name: "x" }), { name: "x", count: 3 });
  });
});
