import { OTLP_HTTP, otlpHttpEndpoint, requirerAppData } from "../interface/tracing.ts";
import type { DispatchRecord, HookContext, Relation } from "../juju/index.ts";

/**
 * Every hook, the leader asks the provider for an OTLP/HTTP receiver, as the Python reference's
 * TracingEndpointRequirer(protocols=["otlp_http"]) does; then every unit that can read the
 * provider's receiver URL sends the dispatch's trace there.
 */
export async function traceToRelation(
  context: HookContext,
  relation: Relation,
  record: () => DispatchRecord,
): Promise<void> {
  const { model, event } = context;
  // Written on its own rather than through the model's commit, which ran with the outcome. A
  // failed hook's write is dropped by Juju, like every other write of that hook.
  if (event.kind !== "action" && model.isLeader()) {
    const wanted = requirerAppData([OTLP_HTTP]);
    const ours = relation.localAppData;
    if (Object.entries(wanted).some(([key, value]) => ours.get(key) !== value)) {
      model.tools.relationSet(relation.id, true, wanted);
    }
  }
  const endpoint = otlpHttpEndpoint(relation.remoteAppData.entries());
  // Not ready yet (the provider has not answered) is the normal state after integrating.
  if (endpoint.kind === "not-ready") return;
  if (endpoint.kind === "invalid") {
    throw new Error(`${relation.remoteApp}'s receivers on ${relation.label}: ${endpoint.problem}`);
  }
  const { exportTrace } = await import("../tracing/export.ts");
  const trace = { event, record: record() };
  const failure = await exportTrace(`${endpoint.url}/v1/traces`, trace);
  if (failure !== undefined) throw new Error(failure);
}
