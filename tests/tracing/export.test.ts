// The exporter alone, in-process, where times can be measured closely: a dispatch's trace to a
// receiver that takes it, one that is slow and one that is down.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DispatchTrace } from "../../src/tracing/spans.ts";
import { EXPORT_TIME_LIMIT_MS, exportTrace } from "../../src/tracing/export.ts";
import { refusedUrl, TraceReceiver } from "./receiver.ts";

const t0 = Date.now();
const dispatch: DispatchTrace = {
  event: {
    kind: "action",
    name: "provide-certificate",
    unitName: "tls/1",
    appName: "tls",
    modelName: "m",
    modelUuid: "uuid",
    charmDir: "/charm",
    contextId: "ctx",
    jujuVersion: "3.6.4",
    actionId: "7",
  },
  record: {
    startMs: t0,
    endMs: t0 + 30,
    handler: { startMs: t0 + 5, endMs: t0 + 25 },
    toolCalls: [
      { tool: "is-leader", exitCode: 0, startMs: t0 + 1, endMs: t0 + 2 },
      { tool: "action-get", exitCode: 0, startMs: t0 + 6, endMs: t0 + 7 },
      { tool: "action-fail", exitCode: null, startMs: t0 + 20, endMs: t0 + 21 },
    ],
    exitCode: 0,
    failure: "invalid parameters: certificate is not base64",
  },
};

describe("exportTrace", () => {
  let receiver: TraceReceiver;
  before(async () => (receiver = await TraceReceiver.start()));
  after(async () => receiver.stop());

  it("sends the spans with the recorded times and parents, and reports success", async () => {
    receiver.traces.length = 0;
    assert.equal(await exportTrace(`${receiver.url}/v1/traces`, dispatch), undefined);
    const trace = receiver.traces[0]!;
    const byName = new Map(trace.spans.map((span) => [span.name, span]));
    const root = byName.get("tls/1: provide-certificate event")!;
    const handler = byName.get("provide-certificate handler")!;
    assert.equal(root.startNs, BigInt(t0) * 1_000_000n);
    assert.equal(root.endNs, BigInt(t0 + 30) * 1_000_000n);
    assert.equal(byName.get("is-leader")!.parentSpanId, root.spanId);
    assert.equal(byName.get("action-get")!.parentSpanId, handler.spanId);
    assert.equal(byName.get("action-fail")!.attributes["juju.hook_tool.exit_code"], -1);
    assert.deepEqual(root.status, { code: 2, message: dispatch.record.failure });
    assert.deepEqual(handler.status, { code: 2, message: dispatch.record.failure });
    assert.equal(byName.get("is-leader")!.status.code, 0);
  });

  it("gives up on a receiver that does not answer within the time limit", async () => {
    receiver.mode = { kind: "slow", delayMs: 10_000 };
    const started = Date.now();
    const failure = await exportTrace(`${receiver.url}/v1/traces`, dispatch);
    const elapsed = Date.now() - started;
    receiver.mode = { kind: "accept" };
    assert.match(failure ?? "", /did not answer within 1000 ms/);
    assert.ok(
      elapsed >= EXPORT_TIME_LIMIT_MS - 50 && elapsed < EXPORT_TIME_LIMIT_MS + 400,
      `${elapsed} ms`,
    );
  });

  it("reports a receiver that is down within the time limit", async () => {
    const url = await refusedUrl();
    const started = Date.now();
    const failure = await exportTrace(`${url}/v1/traces`, dispatch);
    const elapsed = Date.now() - started;
    assert.match(failure ?? "", /refused the trace: .*ECONNREFUSED/);
    assert.ok(elapsed < EXPORT_TIME_LIMIT_MS + 400, `${elapsed} ms`);
  });
});
