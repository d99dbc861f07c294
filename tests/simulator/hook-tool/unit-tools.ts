// Tools about the unit and its application: status, log, leadership, config, version.
import { appOf, effectiveConfig, getApp, getRelation, getUnit, relationKey } from "../model.ts";
import { contextIsLeader } from "../leadership.ts";
import type { Status } from "../state.ts";
import { checkEmpty, goQuote, parseFlags, UsageError } from "./flags.ts";
import { formatFlags, formatName, output } from "./format.ts";
import { parseKeyValues } from "./keyvalues.ts";
import { RunError, type Tool } from "./tool.ts";

const SETTABLE = ["maintenance", "blocked", "waiting", "active"];

export const statusSet: Tool = (args, env) => {
  const parsed = parseFlags(args, [{ names: ["application"], kind: "bool" }]);
  const [status, message = "", ...rest] = parsed.args;
  if (status === undefined) throw new UsageError("invalid args, require <status> [message]");
  if (!SETTABLE.includes(status)) {
    throw new UsageError(
      `invalid status ${goQuote(status)}, expected one of [${SETTABLE.join(" ")}]`,
    );
  }
  checkEmpty(rest);
  const next: Status = { status, message, data: {} };
  if (parsed.values.get("application") === true) {
    if (!contextIsLeader(env.state, env.ctx)) throw new RunError("this unit is not the leader");
    getApp(env.state, appOf(env.ctx.unit)).status = next;
  } else {
    const unit = getUnit(env.state, env.ctx.unit);
    unit.workload = next;
    unit.history.push(next);
    env.ctx.unitStatusSet = true;
  }
  return { stdout: "" };
};

const statusDetails = (s: Status) => ({
  message: s.message,
  status: s.status,
  "status-data": s.data,
});

export const statusGet: Tool = (args, env) => {
  const parsed = parseFlags(args, [
    { names: ["include-data"], kind: "bool" },
    { names: ["application"], kind: "bool" },
    ...formatFlags(),
  ]);
  checkEmpty(parsed.args);
  const unit = getUnit(env.state, env.ctx.unit);
  if (parsed.values.get("application") === true) {
    if (!contextIsLeader(env.state, env.ctx)) {
      throw new RunError("finding application status: this unit is not the leader");
    }
    const app = getApp(env.state, unit.app);
    const units: Record<string, unknown> = {};
    for (const u of Object.values(env.state.units)) {
      if (u.app === app.name) units[u.name] = statusDetails(u.workload);
    }
    const value = { "application-status": { ...statusDetails(app.status), units } };
    return { stdout: output(parsed, env.cwd, value) };
  }
  if (parsed.values.get("include-data") === true) {
    return { stdout: output(parsed, env.cwd, statusDetails(unit.workload)) };
  }
  if (formatName(parsed) === "smart")
    return { stdout: output(parsed, env.cwd, unit.workload.status) };
  return { stdout: output(parsed, env.cwd, { status: unit.workload.status }) };
};

const LOG_LEVELS: Record<string, string> = {
  TRACE: "TRACE",
  DEBUG: "DEBUG",
  INFO: "INFO",
  WARN: "WARNING",
  WARNING: "WARNING",
  ERROR: "ERROR",
  CRITICAL: "CRITICAL",
};

export const jujuLog: Tool = (args, env) => {
  const parsed = parseFlags(args, [
    { names: ["debug"], kind: "bool" },
    { names: ["l", "log-level"], kind: "value" },
  ]);
  if (parsed.args.length === 0) throw new UsageError("no message specified");
  const unit = getUnit(env.state, env.ctx.unit);
  let requested = String(parsed.values.get("l") ?? "INFO");
  if (parsed.values.get("debug") === true) requested = "DEBUG";
  let level = LOG_LEVELS[requested.toUpperCase()];
  if (level === undefined) {
    unit.logs.push({
      level: "WARNING",
      message: `Specified log level of ${goQuote(requested)} is not valid`,
    });
    level = "INFO";
  }
  let prefix = "";
  if (env.ctx.relationId !== null) {
    prefix = `${relationKey(getRelation(env.state, env.ctx.relationId), unit.app)}: `;
  }
  unit.logs.push({ level, message: prefix + parsed.args.join(" ") });
  return { stdout: "" };
};

export const isLeaderTool: Tool = (args, env) => {
  const parsed = parseFlags(args, formatFlags());
  checkEmpty(parsed.args);
  return { stdout: output(parsed, env.cwd, contextIsLeader(env.state, env.ctx)) };
};

export const configGet: Tool = (args, env) => {
  const parsed = parseFlags(args, [{ names: ["a", "all"], kind: "bool" }, ...formatFlags()]);
  const all = parsed.values.get("a") === true;
  const key = parsed.args[0];
  if (key !== undefined) {
    if (all) throw new UsageError(`cannot use argument --all together with key ${goQuote(key)}`);
    checkEmpty(parsed.args.slice(1));
  }
  const config = effectiveConfig(getApp(env.state, appOf(env.ctx.unit)));
  if (key !== undefined) return { stdout: output(parsed, env.cwd, config[key] ?? null) };
  const shown = Object.fromEntries(Object.entries(config).filter(([, v]) => all || v !== null));
  return { stdout: output(parsed, env.cwd, shown) };
};

export const applicationVersionSet: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  if (parsed.args.length === 0) throw new UsageError("no version specified");
  checkEmpty(parsed.args.slice(1));
  getApp(env.state, appOf(env.ctx.unit)).version = parsed.args[0]!;
  return { stdout: "" };
};

export const leaderGet: Tool = (args, env) => {
  const parsed = parseFlags(args, formatFlags());
  const rest = [...parsed.args];
  let key = "";
  if (rest.length > 0) {
    key = rest.shift()!;
    if (key === "-") key = "";
    else if (key.includes("=")) throw new UsageError(`invalid key ${goQuote(key)}`);
  }
  checkEmpty(rest);
  const settings = getApp(env.state, appOf(env.ctx.unit)).leaderSettings;
  return { stdout: output(parsed, env.cwd, key === "" ? settings : (settings[key] ?? null)) };
};

export const leaderSet: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  const settings = parseKeyValues(parsed.args);
  if (!contextIsLeader(env.state, env.ctx)) {
    throw new RunError("cannot write leadership settings: cannot write settings: not the leader");
  }
  const app = getApp(env.state, appOf(env.ctx.unit));
  const bag = app.leaderSettings;
  let changed = false;
  for (const [k, v] of settings) {
    if (v === "" ? k in bag : bag[k] !== v) changed = true;
    if (v === "") delete bag[k];
    else bag[k] = v;
  }
  // Applied at once, and only a real change reaches the followers' watchers: each then runs
  // leader-settings-changed (leadership/resolver.go compares LeaderSettingsVersion).
  if (changed) app.leaderSettingsVersion += 1;
  return { stdout: "" };
};
