// `juju run` around the task itself: the checks made before the task is queued (the unit, with
// app/leader resolved, the action, its params typed and validated, defaults inserted), and what
// the finished task shows.
import { parseCliParams } from "./action-params.ts";
import { actionSchema, insertDefaults, validateParams } from "./action-schema.ts";
import { appOf, getApp } from "./model.ts";
import type { ActionOutcome } from "./runner.ts";
import type { State, Task } from "./state.ts";

export interface ActionRun {
  id: number;
  status: "completed" | "failed";
  message?: string;
  results: Record<string, unknown>;
  logs: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  toolCalls: string[][];
}

export interface QueuedAction {
  unit: string;
  params: Record<string, unknown>;
}

/**
 * The task `juju run` would queue; throws (nothing is queued) when there is no such unit or
 * leader, the action is unknown or the params fail the action's schema. `app/leader` names the
 * unit that holds the lease when the task is queued.
 */
export function queueAction(
  state: State,
  unit: string,
  action: string,
  params: Record<string, unknown> | string[],
): QueuedAction {
  const target = unit.endsWith("/leader") ? getApp(state, appOf(unit)).leader : unit;
  if (!target) throw new Error(`could not determine leader for "${appOf(unit)}"`);
  const spec = getApp(state, appOf(target)).actions[action];
  if (!spec) throw new Error(`action "${action}" not defined on unit "${target}"`);
  const given = Array.isArray(params) ? parseCliParams(params) : params;
  const schema = actionSchema(action, spec);
  const invalid = validateParams(schema, given);
  if (invalid) throw new Error(invalid);
  return { unit: target, params: insertDefaults(schema, given) };
}

export function actionRunOf(task: Task, outcome: ActionOutcome): ActionRun {
  return {
    id: task.id,
    status: task.status === "failed" ? "failed" : "completed",
    ...(task.message !== "" ? { message: task.message } : {}),
    results: task.results,
    logs: task.logs,
    exitCode: outcome.exitCode,
    stdout: outcome.stdout,
    stderr: outcome.stderr,
    toolCalls: outcome.toolCalls,
  };
}
