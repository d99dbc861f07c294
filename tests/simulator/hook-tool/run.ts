// The server side of one hook-tool call (what jujuc's Jujuc.Main does): find the context,
// record the call, apply injected faults, run the command, map errors to exit codes.
import { moveLeadershipOnCall } from "../leadership.ts";
import type { HookContext, State } from "../state.ts";
import { updateStateInCall } from "../state-store.ts";
import { HelpRequested, UsageError } from "./flags.ts";
import { actionFail, actionGet, actionLog, actionSet } from "./action-tools.ts";
import {
  relationGet,
  relationIds,
  relationList,
  relationModelGet,
  relationSet,
} from "./relation-tools.ts";
import { stateDelete, stateGet, stateSet } from "./state-tools.ts";
import type { Tool } from "./tool.ts";
import {
  applicationVersionSet,
  configGet,
  isLeaderTool,
  jujuLog,
  leaderGet,
  leaderSet,
  statusGet,
  statusSet,
} from "./unit-tools.ts";

export const TOOLS: Record<string, Tool> = {
  "relation-ids": relationIds,
  "relation-list": relationList,
  "relation-get": relationGet,
  "relation-set": relationSet,
  "relation-model-get": relationModelGet,
  "action-get": actionGet,
  "action-set": actionSet,
  "action-fail": actionFail,
  "action-log": actionLog,
  "status-set": statusSet,
  "status-get": statusGet,
  "juju-log": jujuLog,
  "is-leader": isLeaderTool,
  "config-get": configGet,
  "application-version-set": applicationVersionSet,
  "leader-get": leaderGet,
  "leader-set": leaderSet,
  "state-get": stateGet,
  "state-set": stateSet,
  "state-delete": stateDelete,
};

/** Thrown by a request's stdin when the client sent none: jujuc asks again with it. */
export class StdinRequired extends Error {}

export interface ToolRequest {
  dir: string;
  contextId: string;
  name: string;
  args: string[];
  cwd: string;
  stdin: () => string;
}

export interface ToolResponse {
  code: number;
  stdout: string;
  stderr: string;
}

const failure = (code: number, message: string): ToolResponse => ({
  code,
  stdout: "",
  stderr: `ERROR ${message}\n`,
});

export function runTool(request: ToolRequest): ToolResponse {
  return updateStateInCall(request.dir, (state) => {
    const ctx = state.contexts[request.contextId];
    if (!ctx) return failure(1, `bad request: unknown context "${request.contextId}"`);
    const response = answerCall(state, ctx, request);
    // After the call, so that the hook has acted on what the call told it.
    moveLeadershipOnCall(state, ctx, request.name, request.args);
    return response;
  });
}

function answerCall(state: State, ctx: HookContext, request: ToolRequest): ToolResponse {
  ctx.toolCalls.push([request.name, ...request.args]);

  const haystack = request.args.join(" ");
  const fault = state.faults.find(
    (f) =>
      f.tool === request.name &&
      f.times > 0 &&
      (f.argsContains === undefined || haystack.includes(f.argsContains)),
  );
  if (fault) {
    fault.times -= 1;
    return { code: fault.exitCode, stdout: "", stderr: fault.stderr };
  }

  const tool = TOOLS[request.name];
  if (!tool) return failure(1, `bad request: unknown command "${request.name}"`);
  try {
    const out = tool(request.args, { state, ctx, cwd: request.cwd, stdin: request.stdin });
    return { code: 0, stdout: out.stdout, stderr: out.stderr ?? "" };
  } catch (error) {
    // The call comes back with stdin (jujuc re-sends it): record it then, once. Nothing else
    // changed before a tool asks for its stdin.
    if (error instanceof StdinRequired) {
      ctx.toolCalls.pop();
      throw error;
    }
    if (error instanceof HelpRequested) {
      return { code: 0, stdout: `Usage: ${request.name} [options] [args...]\n`, stderr: "" };
    }
    const message = error instanceof Error ? error.message : String(error);
    return failure(error instanceof UsageError ? 2 : 1, message);
  }
}
