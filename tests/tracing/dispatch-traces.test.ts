// Charm tracing through the real dispatch on the simulator: the operator integrated with a
// tracing provider charm that publishes a local OTLP/HTTP receiver, which decodes every trace.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHARM_DIR, LEADER, OPERATOR } from "../e2e/harness.ts";
import { Simulator, type HookRun } from "../simulator/index.ts";
import { refusedUrl, TraceReceiver, type ReceivedSpan, type ReceivedTrace } from "./receiver.ts";

const PROVIDER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../charms/tracing-provider");
const TEMPO = "tempo";
const EXPORT_TIME_LIMIT_MS = 1000;

function only<T>(items: readonly T[], what: string): T {
  assert.equal(items.length, 1, `expected one ${what}, got ${items.length}`);
  return items[0]!;
}

function rootOf(trace: ReceivedTrace): ReceivedSpan {
  return only(
    trace.spans.filter((span) => span.parentSpanId === undefined),
    "root span",
  );
}

function handlerOf(trace: ReceivedTrace): ReceivedSpan {
  return only(
    trace.spans.filter((span) => span.name.endsWith(" handler")),
    "handler span",
  );
}

const toolSpans = (trace: ReceivedTrace): ReceivedSpan[] =>
  trace.spans.filter((span) => "juju.hook_tool" in span.attributes);

const tracingWarnings = (sim: Simulator, unit: string) =>
  sim.logs(unit).filter((line) => line.level === "WARNING" && line.message.startsWith("tracing:"));

describe("charm tracing over the tracing endpoint", () => {
  let receiver: TraceReceiver;
  let sim: Simulator;
  let relationId: number;
  let leader: string;
  let follower: string;

  before(async () => {
    receiver = await TraceReceiver.start();
    sim = await Simulator.create();
    await sim.deploy(OPERATOR, CHARM_DIR, { units: 2 });
    await sim.deploy(TEMPO, PROVIDER_DIR, { config: { url: receiver.url } });
    relationId = await sim.integrate(`${OPERATOR}:tracing`, `${TEMPO}:tracing`);
    leader = sim.state().applications[OPERATOR]!.leader!;
    follower = Object.keys(sim.state().units).find((u) => u.startsWith(OPERATOR) && u !== leader)!;
  });
  after(async () => receiver.stop());
  beforeEach(() => {
    receiver.mode = { kind: "accept" };
    receiver.traces.length = 0;
  });

  it("the leader asks for an otlp_http receiver in the library's format, and only that", () => {
    assert.deepEqual(sim.relationData(relationId, OPERATOR), { receivers: '["otlp_http"]' });
    assert.deepEqual(receiver.problems, []);
  });

  it("update-status sends one trace: root named after the event, handler, one span per tool call", async () => {
    const run = await sim.runHook(leader, "update-status");
    assert.equal(run.exitCode, 0, run.stderr);
    const trace = only(receiver.traces, "trace");
    assert.equal(trace.contentType, "application/json");
    assert.deepEqual(trace.resource, {
      "service.name": `${OPERATOR}-charm`,
      juju_unit: leader,
      juju_application: OPERATOR,
      juju_model: sim.state().model.name,
      juju_model_uuid: sim.state().model.uuid,
      juju_version: "3.6.4",
      ...pick(trace.resource, [
        "telemetry.sdk.language",
        "telemetry.sdk.name",
        "telemetry.sdk.version",
      ]),
    });
    const root = rootOf(trace);
    assert.equal(root.name, `${leader}: update-status event`);
    assert.equal(root.attributes["juju.dispatch_path"], "hooks/update-status");
    assert.equal(root.status.code, 0);
    assert.ok(trace.spans.every((span) => span.traceId === root.traceId));
    const handler = handlerOf(trace);
    assert.equal(handler.name, "update-status handler");
    assert.equal(handler.parentSpanId, root.spanId);
    // Every tool call the dispatch made is one span, in order, with its exit code.
    const tools = toolSpans(trace).sort((a, b) => Number(a.startNs - b.startNs));
    assert.deepEqual(
      tools.map((span) => [
        span.name,
        span.attributes["juju.hook_tool"],
        span.attributes["juju.hook_tool.exit_code"],
      ]),
      run.toolCalls.map((call) => [call[0], call[0], 0]),
    );
    for (const span of tools) {
      assert.ok([root.spanId, handler.spanId].includes(span.parentSpanId!), span.name);
      assert.ok(span.startNs >= root.startNs && span.endNs <= root.endNs, span.name);
    }
    // The reconcile's status-set ran inside the handler; the tracing relation's reads after it.
    assert.equal(tools.find((span) => span.name === "status-set")!.parentSpanId, handler.spanId);
    assert.equal(tools.at(-1)!.parentSpanId, root.spanId);
    assertNoArguments(trace, run);
  });

  it("a non-leader unit reads the URL from the provider's databag and sends its trace too", async () => {
    const run = await sim.runHook(follower, "update-status");
    assert.equal(run.exitCode, 0, run.stderr);
    const trace = only(receiver.traces, "trace");
    assert.equal(trace.resource["juju_unit"], follower);
    assert.equal(rootOf(trace).name, `${follower}: update-status event`);
    assert.ok(!run.toolCalls.some((call) => call[0] === "relation-set"));
  });

  it("a hook the charm does not handle is traced with a root span and no handler", async () => {
    const run = await sim.runHook(leader, "stop");
    assert.equal(run.exitCode, 0, run.stderr);
    const trace = only(receiver.traces, "trace");
    assert.equal(rootOf(trace).name, `${leader}: stop event`);
    assert.equal(trace.spans.filter((span) => span.name.endsWith(" handler")).length, 0);
  });

  it("a failed hook's trace carries error status and message, and the hook still exits 1", async () => {
    sim.injectFault({ tool: "status-set", exitCode: 2, stderr: "ERROR agent went away\n" });
    const run = await sim.runHook(leader, "update-status");
    await sim.resolve(leader, { retry: false });
    assert.equal(run.exitCode, 1);
    const trace = only(receiver.traces, "trace");
    const root = rootOf(trace);
    assert.equal(root.status.code, 2);
    assert.match(
      root.status.message ?? "",
      /^status-set failed \(exit 2\): ERROR agent went away$/,
    );
    assert.equal(handlerOf(trace).status.code, 2);
    const statusSet = only(
      toolSpans(trace).filter((span) => span.name === "status-set"),
      "status-set",
    );
    assert.equal(statusSet.attributes["juju.hook_tool.exit_code"], 2);
    assert.equal(statusSet.status.code, 2);
    assert.equal(statusSet.status.message, undefined);
  });

  it("a failed action's trace carries the operator's message, never the action's parameters", async () => {
    const secret = "bm90LWEtY3Ny";
    const action = await sim.runAction(LEADER, "provide-certificate", {
      "certificate-signing-request": secret,
      certificate: secret,
      "ca-certificate": secret,
    });
    assert.equal(action.status, "failed");
    const trace = only(receiver.traces, "trace");
    const root = rootOf(trace);
    assert.equal(root.name, `${leader}: provide-certificate event`);
    assert.equal(root.attributes["juju.dispatch_path"], "actions/provide-certificate");
    assert.equal(root.status.code, 2);
    assert.equal(root.status.message, action.message);
    assert.ok(!JSON.stringify(trace.spans, bigints).includes(secret));
  });

  describe("a receiver that does not take the trace", () => {
    async function expectOneWarning(unit: string, reason: RegExp): Promise<number> {
      const before = tracingWarnings(sim, unit).length;
      const started = Date.now();
      const run = await sim.runHook(unit, "update-status");
      const elapsed = Date.now() - started;
      assert.equal(run.exitCode, 0, run.stderr);
      const warnings = tracingWarnings(sim, unit).slice(before);
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0]!.message, reason);
      return elapsed;
    }

    it("answering too slowly: the export gives up at the time limit, one WARNING, exit 0", async () => {
      const delayMs = 20_000;
      receiver.mode = { kind: "slow", delayMs };
      receiver.requests.length = 0;
      const elapsed = await expectOneWarning(leader, /did not answer within 1000 ms/);
      assert.ok(elapsed < delayMs, `the hook waited for the receiver: ${elapsed} ms`);
      const request = only(receiver.requests, "request");
      await waitFor(() => request.closedMs !== undefined);
      const heldMs = request.closedMs! - request.arrivedMs;
      assert.ok(heldMs < EXPORT_TIME_LIMIT_MS + 500, `the connection was held ${heldMs} ms`);
    });

    it("refusing the data (HTTP 400): one WARNING, exit 0, no retry", async () => {
      receiver.mode = { kind: "refuse", status: 400 };
      await expectOneWarning(leader, /refused the trace/);
      assert.equal(receiver.traces.length, 1);
    });

    it("a provider databag that holds no receiver: one WARNING naming it, exit 0, nothing sent", async () => {
      await sim.config(TEMPO, { receivers: '[{"protocol": "otlp_http"}]' });
      try {
        receiver.traces.length = 0;
        await expectOneWarning(
          follower,
          /tempo's receivers on tracing:\d+: receivers\[0\] is not a receiver/,
        );
        assert.equal(receiver.traces.length, 0);
      } finally {
        await sim.config(TEMPO, { receivers: "" });
      }
    });

    it("down (connection refused): one WARNING, exit 0; a failed hook keeps its exit code 1", async () => {
      await sim.config(TEMPO, { url: await refusedUrl() });
      try {
        await expectOneWarning(follower, /ECONNREFUSED/);
        sim.injectFault({ tool: "status-set" });
        const failed = await sim.runHook(leader, "update-status");
        await sim.resolve(leader, { retry: false });
        assert.equal(failed.exitCode, 1);
      } finally {
        await sim.config(TEMPO, { url: receiver.url });
      }
    });
  });

  it("removing the relation runs its hooks without a warning, and tracing stops", async () => {
    const units = [leader, follower];
    const warningsBefore = units.map((unit) => tracingWarnings(sim, unit).length);
    await sim.removeRelation(relationId);
    assert.deepEqual(
      units.map((unit) => tracingWarnings(sim, unit).length),
      warningsBefore,
    );
    assert.deepEqual(
      sim
        .hookLog()
        .filter((entry) => entry.name.startsWith("tracing-relation-") && entry.exitCode !== 0),
      [],
    );
    receiver.traces.length = 0;
    const run = await sim.runHook(leader, "update-status");
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(receiver.traces, []);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.ok(condition(), "gave up waiting");
}

function pick<T extends object>(from: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(
    Object.entries(from).filter(([key]) => keys.includes(key)),
  ) as Partial<T>;
}

const bigints = (_key: string, value: unknown) =>
  typeof value === "bigint" ? String(value) : value;

/**
 * No span holds anything a tool was given or printed: tool spans carry the tool's name and exit
 * code and nothing else, and the other spans only the dispatch's path, kind and exit code.
 */
function assertNoArguments(trace: ReceivedTrace, run: HookRun): void {
  const tools = new Set(run.toolCalls.map((call) => call[0]));
  for (const span of trace.spans) {
    const keys = Object.keys(span.attributes).sort();
    if ("juju.hook_tool" in span.attributes) {
      assert.ok(tools.has(span.name), span.name);
      assert.deepEqual(keys, ["juju.hook_tool", "juju.hook_tool.exit_code"]);
      assert.equal(span.status.message, undefined);
    } else if (span.parentSpanId === undefined) {
      assert.deepEqual(keys, ["juju.dispatch_path", "juju.event.kind", "juju.exit_code"]);
    } else {
      assert.deepEqual(keys, []);
    }
  }
}
