import type { ToolOutput, ToolRunner } from "../../src/juju/index.ts";

export interface RecordedCall {
  readonly tool: string;
  readonly args: readonly string[];
  readonly stdin: string | undefined;
}

export type Responder = (
  tool: string,
  args: readonly string[],
  stdin?: string,
) => ToolOutput | undefined;

/** An in-process stand-in for Juju's tools: answers from a responder and records every call. */
export function fakeTools(responder: Responder): { runner: ToolRunner; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const runner: ToolRunner = (tool, args, stdin) => {
    calls.push({ tool, args: [...args], stdin });
    return responder(tool, args, stdin) ?? { exitCode: 0, stdout: "", stderr: "" };
  };
  return { runner, calls };
}

export function ok(value: unknown): ToolOutput {
  return { exitCode: 0, stdout: `${JSON.stringify(value)}\n`, stderr: "" };
}

export function fail(exitCode: number, message: string): ToolOutput {
  return { exitCode, stdout: "", stderr: `ERROR ${message}\n` };
}

export function hookEnv(
  dispatchPath: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    JUJU_DISPATCH_PATH: dispatchPath,
    JUJU_UNIT_NAME: "tls/0",
    JUJU_MODEL_NAME: "m",
    JUJU_MODEL_UUID: "uuid",
    JUJU_CHARM_DIR: "/charm",
    JUJU_CONTEXT_ID: "tls/0-x-1",
    JUJU_VERSION: "3.6.8",
    ...extra,
  };
}
