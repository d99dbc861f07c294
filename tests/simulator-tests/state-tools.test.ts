// state-get, state-set and state-delete (the unit's charm state), run as real executables from
// hooks and actions of the shell-charm fixture, and committed as Juju 3.6 commits them.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import {
  callsScript,
  deployed,
  inAction,
  inHook,
  readCalls,
  removeScript,
  writeScript,
  type Call,
  type Fixture,
} from "./helpers.ts";

const ok = (stdout: string) => ({ code: 0, stdout, stderr: "" });
const err = (code: number, stderr: string) => ({ code, stdout: "", stderr });

/** Runs the calls in update-status, then `exit <code>`. */
async function hookExiting(fx: Fixture, unit: string, code: number, calls: (Call | string[])[]) {
  const out = mkdtempSync(join(tmpdir(), "calls-"));
  writeScript(fx.charm, "update-status", `${callsScript(calls, out)}exit ${code}\n`);
  try {
    const run = await fx.sim.runHook(unit, "update-status");
    return { run, results: readCalls(out, calls.length) };
  } finally {
    removeScript(fx.charm, "update-status");
  }
}

describe("state-get, state-set and state-delete in a hook", () => {
  test("state-get shows the hook's own writes in smart, yaml and json", async () => {
    const fx = await deployed(1);
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["state-get"],
      ["state-get", "--format=json"],
      ["state-set", "b=two words", "a=1", "multi=x\ny"],
      ["state-get"],
      ["state-get", "-", "--format=json"],
      ["state-get", "--format=yaml", "a"],
      ["state-get", "b"],
      ["state-get", "multi", "--format=json"],
    ]);
    assert.deepEqual(results, [
      ok(""),
      ok("null\n"),
      ok(""),
      ok('a: "1"\nb: two words\nmulti: |-\n  x\n  y\n'),
      ok('{"a":"1","b":"two words","multi":"x\\ny"}\n'),
      ok('"1"\n'),
      ok("two words\n"),
      ok('"x\\ny"\n'),
    ]);
  });

  test("a missing key prints an empty string, or fails with --strict", async () => {
    const fx = await deployed(1);
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["state-get", "nope"],
      ["state-get", "nope", "--format=json"],
      ["state-get", "--strict", "nope"],
      ["state-get", "--strict", 'a"b'],
      ["state-get", "a", "b"],
      ["state-get", "--bogus"],
    ]);
    assert.deepEqual(results, [
      ok(""),
      ok('""\n'),
      err(1, 'ERROR "nope" not found\n'),
      err(1, 'ERROR "a\\"b" not found\n'),
      err(2, 'ERROR unrecognized args: ["b"]\n'),
      err(2, "ERROR option provided but not defined: --bogus\n"),
    ]);
  });

  test("state-set parses like relation-set, k= stores an empty string, --file is overridden", async () => {
    const fx = await deployed(1);
    const { results, run } = await inHook(fx, "app/0", "update-status", [
      ["state-set", " spaced = out ", "empty="],
      { argv: ["state-set", "--file", "-", "f2=arg"], stdin: "f1: 5\nf2: file\nf3: ~\n" },
      ["state-set", "novalue"],
      ["state-set", "a=1", "a=2"],
      { argv: ["state-set", "--file", "-"], stdin: "nested: {a: b}" },
      ["state-set"],
      ["state-get", "empty", "--strict", "--format=json"],
    ]);
    assert.equal(run.exitCode, 0);
    assert.deepEqual(results.slice(0, 4), [
      ok(""),
      ok(""),
      err(2, 'ERROR expected "key=value", got "novalue"\n'),
      err(2, 'ERROR key "a" specified more than once\n'),
    ]);
    assert.equal(results[4]!.code, 1);
    assert.deepEqual(results.slice(5), [ok(""), ok('""\n')]);
    assert.deepEqual(fx.sim.charmState("app/0"), {
      spaced: "out",
      empty: "",
      f1: "5",
      f2: "arg",
      f3: "",
    });
  });

  test("state-delete removes a key; a missing key or no key at all does nothing", async () => {
    const fx = await deployed(1);
    fx.sim.setCharmState("app/0", { keep: "1", drop: "2" });
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["state-delete", "drop"],
      ["state-delete", "never-there"],
      ["state-delete"],
      ["state-delete", ""],
      ["state-delete", "keep", "extra"],
      ["state-delete", "--format=json", "keep"],
      ["state-get", "--format=json"],
    ]);
    assert.deepEqual(results, [
      ok(""),
      ok(""),
      ok(""),
      ok(""),
      err(2, 'ERROR unrecognized args: ["extra"]\n'),
      err(2, "ERROR option provided but not defined: --format\n"),
      ok('{"keep":"1"}\n'),
    ]);
    assert.deepEqual(fx.sim.charmState("app/0"), { keep: "1" });
  });

  test("the state is committed at exit 0, read by the next hook, and is the unit's own", async () => {
    const fx = await deployed(2);
    await inHook(fx, "app/0", "update-status", [["state-set", "seen=1"]]);
    assert.deepEqual(fx.sim.charmState("app/0"), { seen: "1" });
    assert.deepEqual(fx.sim.charmState("app/1"), {});
    const next = await inHook(fx, "app/0", "update-status", [["state-get", "seen"]]);
    const other = await inHook(fx, "app/1", "update-status", [["state-get", "--format=json"]]);
    assert.deepEqual(next.results, [ok("1\n")]);
    assert.deepEqual(other.results, [ok("null\n")]);
  });

  test("a hook that exits non-zero commits none of its state changes", async () => {
    const fx = await deployed(1);
    fx.sim.setCharmState("app/0", { kept: "yes" });
    const { run, results } = await hookExiting(fx, "app/0", 1, [
      ["state-set", "lost=1"],
      ["state-delete", "kept"],
      ["state-get", "--format=json"],
    ]);
    assert.equal(run.exitCode, 1);
    assert.equal(results[2]!.stdout, '{"lost":"1"}\n', "the hook saw its own changes");
    assert.deepEqual(fx.sim.charmState("app/0"), { kept: "yes" });
  });

  test("setCharmState({}) removes what the unit kept", async () => {
    const fx = await deployed(1);
    await inHook(fx, "app/0", "update-status", [["state-set", "k=v"]]);
    fx.sim.setCharmState("app/0", {});
    const { results } = await inHook(fx, "app/0", "update-status", [["state-get", "k"]]);
    assert.deepEqual(results, [ok("")]);
  });
});

describe("charm state limits", () => {
  test("state-set refuses a key over 256 bytes and a value over 64 KiB, counting UTF-8 bytes", async () => {
    const fx = await deployed(1);
    const { results } = await inHook(fx, "app/0", "update-status", [
      ["state-set", `${"k".repeat(256)}=v`],
      ["state-set", `${"k".repeat(257)}=v`],
      ["state-set", `${"é".repeat(129)}=v`],
      ["state-set", `v=${"x".repeat(65536)}`],
      ["state-set", `w=${"x".repeat(65537)}`],
      ["state-set", `w=${"é".repeat(32769)}`],
    ]);
    assert.deepEqual(results, [
      ok(""),
      err(1, "ERROR max allowed key length (256) exceeded\n"),
      err(1, "ERROR max allowed key length (256) exceeded\n"),
      ok(""),
      err(1, "ERROR max allowed value length (65536) exceeded\n"),
      err(1, "ERROR max allowed value length (65536) exceeded\n"),
    ]);
    assert.deepEqual(Object.keys(fx.sim.charmState("app/0")).sort(), ["k".repeat(256), "v"]);
  });

  /**
   * 31 keys of 3 bytes with 64 KiB values take 31 × (7 + 3 + 65536) bytes of BSON, plus 5 for the
   * document: a "pad" value of `padding` bytes brings the map to exactly 2 MiB.
   */
  const padding = 2 * 1024 * 1024 - 5 - 31 * (7 + 3 + 65536) - (7 + 3);
  const big = () =>
    Object.fromEntries(
      Array.from({ length: 31 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "x".repeat(65536)]),
    );

  test("a charm state of exactly max-charm-state-size (2 MiB of BSON) commits", async () => {
    const fx = await deployed(1);
    fx.sim.setCharmState("app/0", big());
    const { run } = await inHook(fx, "app/0", "update-status", [
      ["state-set", `pad=${"p".repeat(padding)}`],
    ]);
    assert.equal(run.exitCode, 0);
    assert.equal(fx.sim.charmState("app/0")["pad"]?.length, padding);
  });

  test("a charm state one byte over fails the hook and commits nothing, relation settings included", async () => {
    const fx = await deployed(1);
    const sim = fx.sim;
    sim.setCharmState("app/0", big());
    const { run, results } = await inHook(fx, "app/0", "update-status", [
      ["state-set", `pad=${"p".repeat(padding + 1)}`],
      ["relation-set", "-r", "0", "peer-key=1"],
    ]);
    assert.deepEqual(results, [ok(""), ok("")]);
    assert.equal(run.exitCode, 1);
    assert.equal(sim.agentStatus("app/0").status, "error");
    assert.equal(sim.charmState("app/0")["pad"], undefined);
    assert.equal(sim.relationData(0, "app/0")["peer-key"], undefined);
    assert.ok(
      sim
        .logs("app/0")
        .some(
          (l) =>
            l.level === "ERROR" &&
            l.message ===
              "cannot apply changes: persisting charm state: max allowed size (2097152) exceeded",
        ),
      JSON.stringify(sim.logs("app/0")),
    );
  });

  test("at commit a key is measured escaped, as MongoDB stores it: a 256-byte key with a dot fails", async () => {
    const fx = await deployed(1);
    const key = `a.${"k".repeat(254)}`;
    const { run, results } = await inHook(fx, "app/0", "update-status", [
      ["state-set", `${key}=v`],
    ]);
    assert.deepEqual(results, [ok("")]);
    assert.equal(run.exitCode, 1);
    assert.deepEqual(fx.sim.charmState("app/0"), {});
    assert.ok(
      fx.sim
        .logs("app/0")
        .some((l) =>
          l.message.endsWith("persisting charm state: max allowed key length (256) exceeded"),
        ),
    );
  });

  test("a hook that leaves the state as it found it sends nothing, so an oversized state stays", async () => {
    const fx = await deployed(1);
    fx.sim.setCharmState("app/0", { ...big(), pad: "p".repeat(padding + 1) });
    const { run } = await inHook(fx, "app/0", "update-status", [
      ["state-set", "k00=" + "x".repeat(65536)],
      ["state-set", "tmp=1"],
      ["state-delete", "tmp"],
    ]);
    assert.equal(run.exitCode, 0);
  });
});

describe("charm state in actions", () => {
  test("an action reads and writes the unit's state; its changes commit at exit 0", async () => {
    const fx = await deployed(1);
    fx.sim.setCharmState("app/0", { from: "hook" });
    const { run, results } = await inAction(fx, "app/0", "open", {}, [
      ["state-get", "from"],
      ["state-set", "by=action"],
    ]);
    assert.equal(run.status, "completed");
    assert.deepEqual(results, [ok("hook\n"), ok("")]);
    assert.deepEqual(fx.sim.charmState("app/0"), { from: "hook", by: "action" });
  });

  test("an action that called action-fail and exited 0 is committed", async () => {
    const fx = await deployed(1);
    const { run } = await inAction(fx, "app/0", "open", {}, [
      ["state-set", "k=v"],
      ["action-fail", "refused"],
    ]);
    assert.equal(run.status, "failed");
    assert.equal(run.message, "refused");
    assert.deepEqual(fx.sim.charmState("app/0"), { k: "v" });
  });

  test("an action that exits non-zero commits nothing", async () => {
    const fx = await deployed(1);
    const { run } = await inAction(fx, "app/0", "open", {}, [["state-set", "k=v"]], "exit 3\n");
    assert.equal(run.status, "failed");
    assert.equal(run.message, "exit status 3");
    assert.deepEqual(fx.sim.charmState("app/0"), {});
  });

  test("an action whose state cannot be committed fails with Juju's message", async () => {
    const fx = await deployed(1);
    const { run } = await inAction(fx, "app/0", "open", {}, [
      ["state-set", `a.${"k".repeat(254)}=v`],
    ]);
    assert.equal(run.status, "failed");
    assert.equal(run.message, "committing requested changes failed");
    assert.equal(
      run.results["stderr"],
      "persisting charm state: max allowed key length (256) exceeded",
    );
    assert.deepEqual(fx.sim.charmState("app/0"), {});
  });
});
