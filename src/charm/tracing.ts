import { DispatchRecorder, type DispatchObserver, type HookContext } from "../juju/index.ts";
import { TRACING_ENDPOINT } from "./endpoints.ts";

/**
 * Traces every dispatch once a `tracing` relation exists. Without one, a dispatch pays one
 * `relation-ids tracing` call and loads nothing else: the relation's code and the OpenTelemetry
 * exporter wait behind import(). Tracing never changes a dispatch's outcome: any problem is one
 * WARNING in the Juju log.
 */
export function dispatchTracing(): DispatchObserver {
  return new DispatchRecorder(async (context, record) => {
    // The endpoint has limit: 1, so there is at most one relation.
    const relation = context.model.relations(TRACING_ENDPOINT)[0];
    if (relation === undefined) return;
    // The relation is going and nothing is owed to it. Juju 3.4+ already leaves it out of
    // relation-ids in its -broken hook (juju/juju#17464, worker/uniter/runner/jujuc/relation-ids.go);
    // older agents list it.
    const { event } = context;
    if (
      event.kind === "relation" &&
      event.relationKind === "broken" &&
      event.relationId === relation.id
    ) {
      return;
    }
    const { traceToRelation } = await import("./tracing-relation.ts");
    await traceToRelation(context, relation, record);
  }, warnTracingFailed);
}

function warnTracingFailed(context: HookContext, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  // Straight to juju-log: the dispatch's own log lines were flushed when its outcome settled.
  context.model.tools.jujuLog("WARNING", `tracing: no trace sent for this dispatch: ${reason}`);
}
