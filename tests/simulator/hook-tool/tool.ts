// What every hook tool shares: the context it runs in, its error kinds, and the -r flag.
import { unitRelation } from "../model.ts";
import type { HookContext, State, Task } from "../state.ts";
import type { FlagDef } from "./flags.ts";

/** An error from a command's Run: exit 1. (Flag and Init errors are UsageError: exit 2.) */
export class RunError extends Error {}

export interface ToolEnv {
  state: State;
  ctx: HookContext;
  /** The tool's working directory, for -o and --file paths. */
  cwd: string;
  /** Reads all of stdin; only "--file -" asks for it, as jujuc sends stdin on demand. */
  stdin: () => string;
}

export interface ToolOutput {
  stdout: string;
  stderr?: string;
}

export type Tool = (args: string[], env: ToolEnv) => ToolOutput;

/** NewRelationIdValue: the id after the last ":", checked against the unit's relations. */
export function relationFlag(env: ToolEnv, holder: { id: number }): FlagDef {
  holder.id = env.ctx.relationId ?? -1;
  return {
    names: ["r", "relation"],
    kind: "value",
    set: (value) => {
      const trimmed = value.slice(value.lastIndexOf(":") + 1);
      if (!/^[+-]?[0-9]+$/.test(trimmed)) throw new Error("invalid relation id");
      const id = Number(trimmed);
      if (!unitRelation(env.state, env.ctx.unit, id)) throw new Error("relation not found");
      holder.id = id;
    },
  };
}

export function currentTask(env: ToolEnv): Task {
  const task = env.state.tasks.find((t) => t.id === env.ctx.taskId);
  if (env.ctx.kind !== "action" || !task) throw new RunError("not running an action");
  return task;
}
