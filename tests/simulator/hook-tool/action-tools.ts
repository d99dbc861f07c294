// action-get, action-set, action-fail and action-log.
import { checkEmpty, goQuote, parseFlags, UsageError } from "./flags.ts";
import { formatFlags, output } from "./format.ts";
import { currentTask, type Tool } from "./tool.ts";

// internal/worker/uniter/runner/jujuc/action-set.go: keyRule is charm.GetActionNameRule(), and Init
// fails (so cmd.Main prints "ERROR <message>" and exits 2) with the exact texts used below.
export const ACTION_KEY_RULE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED_KEYS = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];

export const actionGet: Tool = (args, env) => {
  const parsed = parseFlags(args, formatFlags());
  let keys: string[] = [];
  if (parsed.args.length > 0) keys = parsed.args[0]!.split(".");
  checkEmpty(parsed.args.slice(1));
  let value: unknown = currentTask(env).params;
  for (const key of keys) {
    value =
      value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return { stdout: output(parsed, env.cwd, value ?? null) };
};

export const actionSet: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  const writes: { path: string[]; value: string }[] = [];
  for (const arg of parsed.args) {
    const eq = arg.indexOf("=");
    if (eq < 0) throw new UsageError(`argument ${goQuote(arg)} must be of the form key...=value`);
    const path = arg.slice(0, eq).split(".");
    for (const key of path) {
      if (!ACTION_KEY_RULE.test(key)) {
        throw new UsageError(
          `key ${goQuote(key)} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
        );
      }
      if (RESERVED_KEYS.includes(key))
        throw new UsageError(`cannot set reserved action key "${key}"`);
    }
    writes.push({ path, value: arg.slice(eq + 1) });
  }
  const task = currentTask(env);
  for (const { path, value } of writes) addValueToMap(task.results, path, value);
  return { stdout: "" };
};

/** Nested maps along the dotted path; a scalar in the way is replaced by a map. */
function addValueToMap(target: Record<string, unknown>, path: string[], value: string): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

export const actionFail: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  let message = "action failed without reason given, check action for errors";
  if (parsed.args.length > 0) {
    message = parsed.args[0]!;
    checkEmpty(parsed.args.slice(1));
  }
  const task = currentTask(env);
  task.failed = true;
  task.message = message;
  return { stdout: "" };
};

export const actionLog: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  if (parsed.args.length === 0) throw new UsageError("no message specified");
  currentTask(env).logs.push(parsed.args.join(" "));
  return { stdout: "" };
};
