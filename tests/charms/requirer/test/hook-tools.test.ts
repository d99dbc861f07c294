import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { createHookTools, HookToolError, relationIdOf, safeDump } from "../src/hook-tools.ts";
import type { ToolResult } from "../src/hook-tools.ts";

interface Call {
  argv: readonly string[];
  stdin: string | undefined;
}

function recorder(stdout = ""): { calls: Call[]; tools: ReturnType<typeof createHookTools> } {
  const calls: Call[] = [];
  const tools = createHookTools((argv, stdin): ToolResult => {
    calls.push({ argv, stdin });
    return { status: 0, stdout, stderr: "" };
  });
  return { calls, tools };
}

describe("hook tools are called with the argv of ops 2.23.2", () => {
  it("relation-ids and relation-list", () => {
    const ids = recorder('["certificates:10","certificates:2"]');
    assert.deepEqual(ids.tools.relationIds("certificates"), [10, 2]);
    assert.deepEqual(ids.calls[0]?.argv, ["relation-ids", "certificates", "--format=json"]);
    const units = recorder('["p/0","p/1"]');
    assert.deepEqual(units.tools.relationUnits(3), ["p/0", "p/1"]);
    assert.deepEqual(units.calls[0]?.argv, ["relation-list", "-r", "3", "--format=json"]);
    const app = recorder('"provider"');
    assert.equal(app.tools.remoteApp(3), "provider");
    assert.deepEqual(app.calls[0]?.argv, ["relation-list", "-r", "3", "--app", "--format=json"]);
  });

  it("relation-get of a unit and of an application", () => {
    const r = recorder('{"certificates":"[]"}');
    assert.deepEqual(r.tools.relationGet(3, "provider", true), { certificates: "[]" });
    r.tools.relationGet(3, "tls-requirer/0", false);
    assert.deepEqual(
      r.calls.map((c) => c.argv),
      [
        ["relation-get", "-r", "3", "-", "provider", "--app", "--format=json"],
        ["relation-get", "-r", "3", "-", "tls-requirer/0", "--format=json"],
      ],
    );
  });

  it("relation-get of an empty databag printing null gives {}", () => {
    assert.deepEqual(recorder("null\n").tools.relationGet(3, "provider", true), {});
  });

  it("relation-set sends YAML on stdin that parses back to the same strings", () => {
    const r = recorder();
    const value =
      '[{"certificate_signing_request": "-----BEGIN CERTIFICATE REQUEST-----\\nMIIB' +
      "A".repeat(200) +
      '\\n-----END CERTIFICATE REQUEST-----", "ca": false}]';
    r.tools.relationSet(3, { certificate_signing_requests: value, gone: "" }, true);
    assert.deepEqual(r.calls[0]?.argv, ["relation-set", "-r", "3", "--app", "--file", "-"]);
    assert.deepEqual(parse(r.calls[0]?.stdin ?? ""), {
      certificate_signing_requests: value,
      gone: "",
    });
  });

  it("status, log, leader and config", () => {
    const r = recorder("true");
    r.tools.statusSet("active", "1/1 certificate requests are fulfilled");
    r.tools.log("DEBUG", "-starts with a dash");
    assert.equal(r.tools.isLeader(), true);
    assert.deepEqual(
      r.calls.map((c) => c.argv),
      [
        ["status-set", "--application=False", "active", "1/1 certificate requests are fulfilled"],
        ["juju-log", "--log-level", "DEBUG", "--", "-starts with a dash"],
        ["is-leader", "--format=json"],
      ],
    );
    const c = recorder('{"library":"v3","num-certificates":2}');
    assert.deepEqual(c.tools.configGet(), { library: "v3", "num-certificates": 2 });
    assert.deepEqual(c.calls[0]?.argv, ["config-get", "--format=json"]);
  });

  it("action tools", () => {
    const r = recorder("{}");
    assert.deepEqual(r.tools.actionGet(), {});
    r.tools.actionSet({ certificates: '[{"a": 1}]' });
    r.tools.actionFail("Certificate not available");
    assert.deepEqual(
      r.calls.map((c) => c.argv),
      [
        ["action-get", "--format=json"],
        ["action-set", 'certificates=[{"a": 1}]'],
        ["action-fail", "Certificate not available"],
      ],
    );
  });

  it("a failing tool raises with its stderr", () => {
    const tools = createHookTools(() => ({
      status: 2,
      stdout: "",
      stderr: "ERROR relation not found\n",
    }));
    assert.throws(
      () => tools.relationUnits(99),
      (e: unknown) => e instanceof HookToolError && /relation not found/.test(e.message),
    );
  });

  it("relation ids keep only the number after the colon", () => {
    assert.equal(relationIdOf("certificates:12"), 12);
    assert.throws(() => relationIdOf("certificates:x"));
  });

  it("safeDump writes an empty value as an empty string, which deletes the key", () => {
    assert.deepEqual(parse(safeDump({ k: "" })), { k: "" });
  });
});
