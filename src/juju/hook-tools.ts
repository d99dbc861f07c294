import type * as ChildProcess from "node:child_process";
import { MAX_ARG_STRLEN, splitForArgv } from "./argv.ts";
import { requireBuiltin } from "./builtin.ts";
import { settingsYaml } from "./settings-yaml.ts";
import { HookToolError, HookToolOutputError } from "./errors.ts";
import {
  jsonBoolean,
  jsonMap,
  jsonString,
  stringList,
  stringMap,
  type JsonShape,
} from "./json-shapes.ts";

export type ToolRunner = (tool: string, args: readonly string[], stdin?: string) => ToolOutput;
export interface ToolOutput {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Loaded with the first tool call: a hook with no handler calls none and starts a little sooner.
let childProcess: typeof ChildProcess | undefined;

/** Juju's tools are on PATH in every hook context; stdin is only read by `--file -`. */
export const spawnTool: ToolRunner = (tool, args, stdin) => {
  childProcess ??= requireBuiltin<typeof ChildProcess>("node:child_process");
  const result = childProcess.spawnSync(tool, args, {
    input: stdin ?? "",
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) {
    return { exitCode: null, stdout: "", stderr: `cannot run ${tool}: ${result.error.message}` };
  }
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
};

export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** What a message cut to fit one argv element ends with. */
export const CUT_MARKER = " …[cut: longer than one argument may be]";

/**
 * The message as one argv element: whole if it fits, else its start, cut between characters,
 * with CUT_MARKER. Past the element limit the exec would fail and the message be lost.
 */
export function fitOneArgument(message: string): string {
  if (Buffer.byteLength(message, "utf8") < MAX_ARG_STRLEN) return message;
  return splitForArgv(message, Buffer.byteLength(CUT_MARKER, "utf8"))[0] + CUT_MARKER;
}
export type WorkloadStatus = "active" | "blocked" | "waiting" | "maintenance";

/**
 * Typed calls to Juju's hook tools with the argv forms Juju documents. Every read is cached for
 * the rest of the dispatch, so no tool runs twice with the same arguments.
 */
export class HookTools {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly run: ToolRunner = spawnTool) {}

  relationIds(endpoint: string): string[] {
    return this.readJson("relation-ids", [endpoint, "--format=json"], stringList);
  }

  relationUnits(relationId: number): string[] {
    return this.readJson("relation-list", ["--format=json", "-r", String(relationId)], stringList);
  }

  relationRemoteApp(relationId: number): string {
    return this.readJson(
      "relation-list",
      ["--format=json", "--app", "-r", String(relationId)],
      jsonString,
    );
  }

  relationGetUnit(relationId: number, unit: string): Record<string, string> {
    const args = ["--format=json", "-r", String(relationId), "-", unit];
    return this.readJson("relation-get", args, stringMap) ?? {};
  }

  relationGetApp(relationId: number, app: string): Record<string, string> {
    const args = ["--format=json", "-r", String(relationId), "--app", "-", app];
    return this.readJson("relation-get", args, stringMap) ?? {};
  }

  /** Keys with an empty value are deleted, as Juju does. */
  relationSet(relationId: number, app: boolean, data: Readonly<Record<string, string>>): void {
    const args = ["-r", String(relationId), ...(app ? ["--app"] : []), "--file", "-"];
    this.write("relation-set", args, settingsYaml(data));
  }

  /** The unit's whole charm state; Juju prints null when it is empty. */
  stateGet(): Record<string, string> {
    return this.readJson("state-get", ["--format=json"], stringMap) ?? {};
  }

  /** state-set reads `--file` as relation-set does (jujuc/state-set.go, readSettings). */
  stateSet(values: Readonly<Record<string, string>>): void {
    this.write("state-set", ["--file", "-"], settingsYaml(values));
  }

  stateDelete(key: string): void {
    this.write("state-delete", [key]);
  }

  isLeader(): boolean {
    return this.readJson("is-leader", ["--format=json"], jsonBoolean);
  }

  configGet(): Record<string, unknown> {
    return this.readJson("config-get", ["--format=json"], jsonMap) ?? {};
  }

  actionGet(): Record<string, unknown> {
    return this.readJson("action-get", ["--format=json"], jsonMap) ?? {};
  }

  /** Keys are dotted paths already checked against Juju's key rule. */
  actionSet(results: Readonly<Record<string, string>>): void {
    const args = Object.entries(results).map(([key, value]) => `${key}=${value}`);
    if (args.length > 0) this.write("action-set", args);
  }

  /** The message goes out as one argv element, so a long one is cut (fitOneArgument). */
  actionFail(message: string): void {
    this.write("action-fail", ["--", fitOneArgument(message)]);
  }

  /** As actionFail: one argv element, cut if it must be. */
  actionLog(message: string): void {
    this.write("action-log", ["--", fitOneArgument(message)]);
  }

  /** As actionFail: one argv element, cut if it must be. */
  statusSet(status: WorkloadStatus, message: string, application = false): void {
    this.write("status-set", [
      `--application=${application ? "True" : "False"}`,
      status,
      "--",
      fitOneArgument(message),
    ]);
  }

  applicationVersionSet(version: string): void {
    this.write("application-version-set", ["--", version]);
  }

  /**
   * juju-log takes the message as argv (internal/worker/uniter/runner/jujuc/juju-log.go joins its
   * args), so a long message goes out in several calls, each piece within one argv element.
   */
  jujuLog(level: LogLevel, message: string): void {
    for (const piece of splitForArgv(message)) {
      this.write("juju-log", ["--log-level", level, "--", piece]);
    }
  }

  private readJson<T>(tool: string, args: string[], shape: JsonShape<T>): T {
    const key = [tool, ...args].join("\0");
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const stdout = this.invoke(tool, args);
    let decoded: unknown;
    try {
      decoded = JSON.parse(stdout);
    } catch {
      throw new HookToolOutputError(tool, "not JSON");
    }
    if (!shape.matches(decoded))
      throw new HookToolOutputError(tool, `expected ${shape.description}`);
    this.cache.set(key, decoded);
    return decoded;
  }

  private write(tool: string, args: string[], stdin?: string): void {
    this.invoke(tool, args, stdin);
  }

  private invoke(tool: string, args: string[], stdin?: string): string {
    const output = this.run(tool, args, stdin);
    if (output.exitCode !== 0) throw new HookToolError(tool, output.exitCode, output.stderr);
    return output.stdout;
  }
}
