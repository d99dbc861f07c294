import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { dispatchSpans, type DispatchTrace } from "./spans.ts";

/**
 * How long a dispatch may spend sending its trace. A hook is a short-lived process that must
 * not exit before the request ends, and Juju runs one hook at a time per unit, so a slow
 * receiver must cost little. charm_tracing gives a request 1 s and force_flush 1 s.
 */
export const EXPORT_TIME_LIMIT_MS = 1000;
// The exporter's own limit covers connecting, sending and any retry; ours only adds a margin so
// that an exporter that never calls back cannot hold the hook.
const HARD_STOP_MARGIN_MS = 250;

/** Sends one dispatch's trace as OTLP/HTTP JSON; returns why it failed, or undefined. */
export async function exportTrace(
  url: string,
  dispatch: DispatchTrace,
): Promise<string | undefined> {
  const spans = dispatchSpans(dispatch);
  // No keep-alive: an idle pooled socket would keep the hook's process alive after its work.
  const exporter = new OTLPTraceExporter({
    url,
    timeoutMillis: EXPORT_TIME_LIMIT_MS,
    keepAlive: false,
  });
  let timer: NodeJS.Timeout | undefined;
  const sent = new Promise<string | undefined>((resolve) => {
    exporter.export(spans, (result) => {
      // 0 is ExportResultCode.SUCCESS.
      resolve(result.code === 0 ? undefined : describeFailure(url, result.error));
    });
  });
  const stopped = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`${shown(url)} did not answer within ${EXPORT_TIME_LIMIT_MS} ms`),
      EXPORT_TIME_LIMIT_MS + HARD_STOP_MARGIN_MS,
    );
    // Not unref'd: were the exporter to drop its callback with nothing else pending, Node would
    // end the process on an unsettled top-level await, exit code 13, and change the outcome.
  });
  try {
    return await Promise.race([sent, stopped]);
  } finally {
    clearTimeout(timer);
    void exporter.shutdown().catch(() => undefined);
  }
}

/** The URL as a log line may show it: no user name or password, no query. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "the receiver URL (not a URL)";
  }
}

function describeFailure(url: string, error: Error | undefined): string {
  const message = error?.message ?? "unknown error";
  if (/timed? ?out/i.test(message)) {
    return `${shown(url)} did not answer within ${EXPORT_TIME_LIMIT_MS} ms`;
  }
  return `${shown(url)} refused the trace: ${message}`;
}
