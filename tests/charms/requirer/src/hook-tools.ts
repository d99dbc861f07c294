// The Juju hook tools this charm uses, called with exactly the argv ops 2.23.2 builds
// (juju-runtime spec §4), so that driving the simulator with this charm drives it the way a
// Python charm does. Nothing here knows about TLS.

import { spawnSync } from "node:child_process";
import { stringify } from "yaml";
import { z } from "zod";

export type StatusName = "active" | "blocked" | "maintenance" | "waiting";
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";
export type Databag = Record<string, string>;

export interface HookTools {
  relationIds(endpoint: string): number[];
  relationUnits(relationId: number): string[];
  remoteApp(relationId: number): string | undefined;
  relationGet(relationId: number, member: string, app: boolean): Databag;
  /** Keys set to "" are deleted. */
  relationSet(relationId: number, data: Databag, app: boolean): void;
  isLeader(): boolean;
  configGet(): Record<string, unknown>;
  statusSet(status: StatusName, message: string): void;
  log(level: LogLevel, message: string): void;
  actionGet(): Record<string, unknown>;
  actionSet(results: Record<string, string>): void;
  actionFail(message: string): void;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs one hook tool; the default spawns it from PATH. */
export type ToolRunner = (argv: readonly string[], stdin?: string) => ToolResult;

export class HookToolError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: ToolResult,
  ) {
    super(`${argv[0]} exited with ${result.status}: ${result.stderr.trim() || "(no stderr)"}`);
    this.name = "HookToolError";
  }
}

export const spawnRunner: ToolRunner = (argv, stdin) => {
  const [command = "", ...args] = argv;
  const r = spawnSync(command, args, { input: stdin ?? "", encoding: "utf8" });
  if (r.error !== undefined) {
    return { status: 127, stdout: "", stderr: `cannot run ${command}: ${r.error.message}` };
  }
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
};

const StringList = z.array(z.string());
const DatabagJson = z.record(z.string(), z.string()).nullable();
const JsonObject = z.record(z.string(), z.unknown()).nullable();

/** "certificates:3" → 3, as ops does with `split(':')[-1]`. */
export function relationIdOf(value: string): number {
  const id = Number(value.split(":").pop());
  if (!Number.isInteger(id)) throw new Error(`not a relation id: ${value}`);
  return id;
}

/** `yaml.safe_dump(data)` as ops 2.x feeds `relation-set --file -`. */
export function safeDump(data: Databag): string {
  return stringify(data, { singleQuote: true, lineWidth: 80 });
}

export function createHookTools(run: ToolRunner = spawnRunner): HookTools {
  const call = (argv: string[], stdin?: string): string => {
    const result = run(argv, stdin);
    if (result.status !== 0) throw new HookToolError(argv, result);
    return result.stdout;
  };
  const json = (argv: string[]): unknown => {
    const out = call(argv).trim();
    return out === "" ? null : (JSON.parse(out) as unknown);
  };
  const rel = (id: number): string[] => ["-r", String(id)];

  return {
    relationIds: (endpoint) =>
      StringList.parse(json(["relation-ids", endpoint, "--format=json"]) ?? []).map(relationIdOf),
    relationUnits: (id) =>
      StringList.parse(json(["relation-list", ...rel(id), "--format=json"]) ?? []),
    remoteApp: (id) => {
      const app = z
        .string()
        .nullable()
        .parse(json(["relation-list", ...rel(id), "--app", "--format=json"]));
      return app === null || app === "" ? undefined : app;
    },
    relationGet: (id, member, app) =>
      DatabagJson.parse(
        json(["relation-get", ...rel(id), "-", member, ...(app ? ["--app"] : []), "--format=json"]),
      ) ?? {},
    relationSet: (id, data, app) => {
      call(["relation-set", ...rel(id), ...(app ? ["--app"] : []), "--file", "-"], safeDump(data));
    },
    isLeader: () => z.boolean().parse(json(["is-leader", "--format=json"])),
    configGet: () => JsonObject.parse(json(["config-get", "--format=json"])) ?? {},
    statusSet: (status, message) => {
      call(["status-set", "--application=False", status, message]);
    },
    log: (level, message) => {
      call(["juju-log", "--log-level", level, "--", message]);
    },
    actionGet: () => JsonObject.parse(json(["action-get", "--format=json"])) ?? {},
    actionSet: (results) => {
      call(["action-set", ...Object.entries(results).map(([k, v]) => `${k}=${v}`)]);
    },
    actionFail: (message) => {
      call(["action-fail", message]);
    },
  };
}
