import { ROOT_CONTEXT, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { DispatchRecord, JujuEvent } from "../juju/index.ts";

export interface DispatchTrace {
  readonly event: JujuEvent;
  readonly record: DispatchRecord;
}

export const TRACER_NAME = "tls-certificates-operator";

/**
 * The spans of one dispatch, built after the fact from its record with explicit times: a root
 * span named after the event as Canonical's charm_tracing names it ("<unit>: <event> event"),
 * a child for the handler, and a child per hook-tool call under whichever of the two it ran in.
 * Resource attributes follow charm_tracing's Juju topology keys, so COS dashboards find them
 * (canonical/tempo-operators, coordinator/lib/charms/tempo_coordinator_k8s/v0/charm_tracing.py).
 */
export function dispatchSpans({ event, record }: DispatchTrace): ReadableSpan[] {
  const collected: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      "service.name": `${event.appName}-charm`,
      juju_unit: event.unitName,
      juju_application: event.appName,
      juju_model: event.modelName,
      juju_model_uuid: event.modelUuid,
      juju_version: event.jujuVersion,
    }),
    spanProcessors: [collectInto(collected)],
  });
  const tracer = provider.getTracer(TRACER_NAME);
  const dispatchPath = event.kind === "action" ? `actions/${event.name}` : `hooks/${event.name}`;
  const root = tracer.startSpan(
    `${event.unitName}: ${event.name} event`,
    {
      startTime: record.startMs,
      attributes: { "juju.dispatch_path": dispatchPath, "juju.event.kind": event.kind },
    },
    ROOT_CONTEXT,
  );
  const handler = record.handler;
  const handlerSpan =
    handler &&
    tracer.startSpan(
      `${event.name} handler`,
      { startTime: handler.startMs },
      trace.setSpan(ROOT_CONTEXT, root),
    );
  for (const call of record.toolCalls) {
    const inHandler = handler && call.startMs >= handler.startMs && call.endMs <= handler.endMs;
    const parent = inHandler && handlerSpan ? handlerSpan : root;
    const span = tracer.startSpan(
      call.tool,
      {
        startTime: call.startMs,
        attributes: {
          "juju.hook_tool": call.tool,
          // -1 stands for "no exit code": the tool could not run or a signal ended it.
          "juju.hook_tool.exit_code": call.exitCode ?? -1,
        },
      },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
    // Never the tool's stderr: it may quote databag contents.
    if (call.exitCode !== 0) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(call.endMs);
  }
  const failure = outcomeFailure(record);
  if (handlerSpan && handler) {
    if (failure !== undefined) markFailed(handlerSpan, failure);
    handlerSpan.end(handler.endMs);
  }
  root.setAttribute("juju.exit_code", record.exitCode);
  if (failure !== undefined) markFailed(root, failure);
  root.end(record.endMs);
  return collected;
}

function outcomeFailure(record: DispatchRecord): string | undefined {
  if (record.failure !== undefined) return record.failure;
  return record.exitCode === 0 ? undefined : `the dispatch exited ${record.exitCode}`;
}

function markFailed(span: Span, message: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

// Ended spans go to a list, in the order they end, for one export call of our own.
function collectInto(spans: ReadableSpan[]): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}
