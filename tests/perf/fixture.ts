// A small steady-state model for the call-budget tests: the operator (a leader and a standby)
// and requirer applications whose units each publish CSRs, built without running any hook.
import { csrFactory } from "../../bench/csrs.ts";
import { buildModel, OPERATOR, type BenchModel, type ModelSpec } from "../../bench/model.ts";

export { OPERATOR };

let factory: ReturnType<typeof csrFactory> | undefined;

export function smallModel(spec: Partial<ModelSpec> = {}): Promise<BenchModel> {
  factory ??= csrFactory();
  return buildModel(
    { relations: 2, unitsPerRelation: 3, csrsPerUnit: 1, operatorUnits: 2, ...spec },
    factory,
  );
}

export const argv = (calls: readonly (readonly string[])[]): string[] =>
  calls.map((call) => call.join(" "));

/**
 * The one call tracing adds to a dispatch without a tracing relation (issue 15): every dispatch,
 * whatever its event, may have to send a trace, and this is how it learns there is nowhere to
 * send one. It runs after the outcome is settled, so it comes last.
 */
export const TRACING_CHECK = "relation-ids tracing --format=json";

/** Reads only: what a dispatch asked of Juju, not what it told it. */
export const READ_TOOLS = new Set([
  "is-leader",
  "config-get",
  "action-get",
  "relation-ids",
  "relation-list",
  "relation-get",
  "state-get",
]);

export const reads = (calls: readonly (readonly string[])[]): string[] =>
  argv(calls.filter((call) => READ_TOOLS.has(call[0] ?? "")));

export function repeated(calls: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  return argv(calls).filter((call) => seen.size === seen.add(call).size);
}
