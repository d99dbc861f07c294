// Config values typed as Juju types them (config-values.ts): a string as `juju config app k=v`
// sends it goes through the charm's Option.parse (strconv.ParseInt base 10, ParseFloat,
// ParseBool), and config-get shows what was stored, every digit of an int64 included.
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { call, copyFixture, deployed, type Fixture } from "./helpers.ts";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });

describe("config values as juju config types them", () => {
  test("an int beyond 2^53 keeps every digit, in every format config-get has", async () => {
    const fx = await deployed(1);
    await fx.sim.config("app", { port: "9007199254740993" });
    assert.deepEqual(await call(fx, "app/0", ["config-get", "port"]), ok("9007199254740993\n"));
    const json = await call(fx, "app/0", ["config-get", "--format=json"]);
    assert.match(json.stdout, /"port":9007199254740993,/);
    assert.deepEqual(
      await call(fx, "app/0", ["config-get", "port", "--format=yaml"]),
      ok("9007199254740993\n"),
    );
    await fx.sim.config("app", { port: "-9223372036854775808" });
    assert.deepEqual(
      await call(fx, "app/0", ["config-get", "port", "--format=json"]),
      ok("-9223372036854775808\n"),
    );
    await fx.sim.config("app", { port: 9223372036854775807n });
    assert.deepEqual(await call(fx, "app/0", ["config-get", "port"]), ok("9223372036854775807\n"));
  });

  test("what strconv refuses is refused with Juju's message, and nothing is set", async () => {
    const fx = await deployed(1);
    const refused = async (values: Record<string, unknown>, message: string) => {
      await assert.rejects(fx.sim.config("app", values), (error: Error) => {
        assert.equal(error.message, message);
        return true;
      });
    };
    await refused({ port: " 5 " }, 'option "port" expected int, got " 5 "');
    await refused({ port: "0x10" }, 'option "port" expected int, got "0x10"');
    await refused({ port: "1_000" }, 'option "port" expected int, got "1_000"');
    await refused({ port: "5.0" }, 'option "port" expected int, got "5.0"');
    await refused(
      { port: "9223372036854775808" },
      'option "port" expected int, got "9223372036854775808"',
    );
    await refused({ port: 5.5 }, 'option "port" expected int, got 5.5');
    await refused({ ratio: " 0.5" }, 'option "ratio" expected float, got " 0.5"');
    await refused({ ratio: "0x10" }, 'option "ratio" expected float, got "0x10"');
    await refused({ ratio: "1e400" }, 'option "ratio" expected float, got "1e400"');
    await refused({ debug: "yes" }, 'option "debug" expected boolean, got "yes"');
    await refused({ greeting: "kept", port: "x" }, 'option "port" expected int, got "x"');
    assert.deepEqual(fx.sim.state().applications["app"]!.config, {}, "all or nothing");
  });

  test("what strconv accepts is accepted: signs, hex floats, infinities, Go's boolean words", async () => {
    const fx = await deployed(1);
    await fx.sim.config("app", { port: "+42", ratio: "0x1p-2", debug: "T" });
    assert.deepEqual(
      await call(fx, "app/0", ["config-get", "--format=json"]),
      ok('{"debug":true,"greeting":"hello","port":42,"ratio":0.25}\n'),
    );
    await fx.sim.config("app", { ratio: "-Inf" });
    assert.deepEqual(await call(fx, "app/0", ["config-get", "ratio"]), ok("-.inf\n"));
    assert.deepEqual(await call(fx, "app/0", ["config-get", "ratio", "--format=json"]), {
      code: 1,
      stdout: "",
      stderr: "ERROR json: unsupported value: -Inf\n",
    });
  });

  test("a default beyond 2^53 in config.yaml keeps every digit", async () => {
    const charm = copyFixture();
    appendFileSync(
      join(charm, "config.yaml"),
      "  big:\n    type: int\n    default: 9007199254740993\n    description: Past 2^53.\n",
    );
    const sim = await Simulator.create();
    await sim.deploy("app", charm);
    const fx: Fixture = { sim, charm };
    assert.deepEqual(await call(fx, "app/0", ["config-get", "big"]), ok("9007199254740993\n"));
  });
});
