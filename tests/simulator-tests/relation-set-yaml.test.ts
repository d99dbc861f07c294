// relation-set --file reads its YAML with gopkg.in/yaml.v2 (v2.4.0) into map[string]string
// (internal/worker/uniter/runner/jujuc/relation-set.go, readSettings). The simulator must refuse
// what yaml.v2's reader refuses and fold what its scanner folds.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { copyFixture, inHook, type Fixture } from "./helpers.ts";

async function related(): Promise<Fixture> {
  const sim = await Simulator.create();
  const charm = copyFixture();
  await sim.deploy("app", charm, { units: 1 });
  await sim.deploy("other", charm, { units: 1 });
  await sim.integrate("app:served", "other:upstream");
  return { sim, charm };
}

describe("relation-set --file reads YAML as yaml.v2 does", () => {
  let fx: Fixture;
  let relationId: number;
  before(async () => {
    fx = await related();
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["relation-ids", "served", "--format=json"],
    ]);
    relationId = Number((JSON.parse(results[0]!.stdout) as string[])[0]!.split(":")[1]);
  });

  const setting = (stdin: string) => ({
    argv: ["relation-set", "-r", String(relationId), "--file", "-"],
    stdin,
  });

  for (const [name, char] of [
    ["DEL", "\x7f"],
    ["a C1 control", "\x9f"],
    ["U+FFFE", "\ufffe"],
    ["U+FFFF", "\uffff"],
    ["a C0 control", "\x01"],
  ] as const) {
    test(`refuses raw ${name} with yaml.v2's reader error and writes nothing`, async () => {
      const { results } = await inHook(fx, "app/0", "update-status", [
        setting(`{"ok": "1", "k": "a${char}b"}`),
      ]);
      assert.deepEqual(results[0], {
        code: 1,
        stdout: "",
        stderr: "ERROR yaml: control characters are not allowed\n",
      });
      assert.equal(fx.sim.relationData(relationId, "app/0")["ok"], undefined);
    });
  }

  test("folds a raw NEL or CR inside a double-quoted scalar to a space, as a line break", async () => {
    await inHook(fx, "app/0", "update-status", [
      setting('{"nel": "a\u0085b", "cr": "c\rd", "crlf": "e\r\nf"}'),
    ]);
    const bag = fx.sim.relationData(relationId, "app/0");
    assert.equal(bag["nel"], "a b");
    assert.equal(bag["cr"], "c d");
    assert.equal(bag["crlf"], "e f");
  });

  test("keeps every character written as a \\u escape", async () => {
    await inHook(fx, "app/0", "update-status", [
      setting('{"escaped": "\\u007f\\u0085\\u009f\\ufffe\\uffff\\u2028\\ufeff\\u0000"}'),
    ]);
    const bag = fx.sim.relationData(relationId, "app/0");
    assert.equal(bag["escaped"], "\x7f\x85\x9f\ufffe\uffff\u2028\ufeff\x00");
  });

  test("keeps printable non-ASCII text as it is", async () => {
    await inHook(fx, "app/0", "update-status", [setting('{"text": "é € 🔐 \\t tab"}')]);
    assert.equal(fx.sim.relationData(relationId, "app/0")["text"], "é € 🔐 \t tab");
  });
});
