import * as z from "zod/mini";
import { readJsonList } from "./json-value.ts";
import { pythonJsonDumps } from "./python-json.ts";

// The `tracing` databags, as Canonical's tracing library writes and reads them
// (canonical/tempo-operators, coordinator/lib/charms/tempo_coordinator_k8s/v0/tracing.py):
// TracingRequirerAppData and TracingProviderAppData, each field stored as json.dumps text under
// its own key. Both sides dump with clear=True, so `receivers` is the only key either side owns.

export const RECEIVERS_KEY = "receivers";

/** The one protocol this charm sends with: OTLP over HTTP, as the Python reference requests. */
export const OTLP_HTTP = "otlp_http";

/**
 * Our application databag, written by the leader: the receiver protocols we ask the provider
 * to enable (TracingRequirerAppData.receivers, a list of protocol names).
 */
export function requirerAppData(protocols: readonly string[]): Record<string, string> {
  return { [RECEIVERS_KEY]: pythonJsonDumps(protocols) };
}

// Receiver: {"protocol": {"name": str, "type": "http" | "grpc"}, "url": str}. pydantic ignores
// extra keys, and so do we; a receiver of another shape makes the library reject the whole bag.
const receiverSchema = z.object({
  protocol: z.object({ name: z.string(), type: z.enum(["http", "grpc"]) }),
  url: z.string(),
});

export type ProviderEndpoint =
  | { readonly kind: "ready"; readonly url: string }
  /** Nothing published yet: the normal state just after integrating. */
  | { readonly kind: "not-ready" }
  /** Published, but not something the library would accept. */
  | { readonly kind: "invalid"; readonly problem: string };

/**
 * The URL of the provider's OTLP/HTTP receiver, read from its application databag the way the
 * library's get_endpoint("otlp_http") does: the whole list must validate, then the first
 * receiver with that protocol name wins.
 */
export function otlpHttpEndpoint(
  providerAppData: Readonly<Record<string, string>>,
): ProviderEndpoint {
  const reading = readJsonList(providerAppData, RECEIVERS_KEY);
  if (reading.kind === "absent") return { kind: "not-ready" };
  if (reading.kind === "invalid") return { kind: "invalid", problem: reading.problem };
  const urls: string[] = [];
  for (const [index, item] of reading.items.entries()) {
    const receiver = receiverSchema.safeParse(item);
    if (!receiver.success) {
      return { kind: "invalid", problem: `receivers[${index}] is not a receiver` };
    }
    if (receiver.data.protocol.name === OTLP_HTTP) urls.push(receiver.data.url);
  }
  const url = urls[0];
  if (url === undefined) {
    return {
      kind: "invalid",
      problem: `no ${OTLP_HTTP} receiver among the ${reading.items.length}`,
    };
  }
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
    return { kind: "invalid", problem: `the ${OTLP_HTTP} receiver URL is not http:// or https://` };
  }
  return { kind: "ready", url: url.replace(/\/+$/, "") };
}
