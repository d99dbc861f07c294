// relation-ids, relation-list, relation-get, relation-set and relation-model-get.
import { appOf, getRelation, isLeader, localEnd, remoteEnd, unitRelation } from "../model.ts";
import type { Relation, RelationView } from "../state.ts";
import { contextIsLeader } from "../leadership.ts";
import { checkEmpty, parseFlags, UsageError, type FlagDef } from "./flags.ts";
import { formatFlags, output } from "./format.ts";
import { parseKeyValues, parseSettingsFile, readSettingsSource } from "./keyvalues.ts";
import { relationFlag, RunError, type Tool, type ToolEnv } from "./tool.ts";
import { readAsYamlV2 } from "./yaml-v2-reader.ts";

const appFlag: FlagDef = { names: ["app"], kind: "bool" };

function hookRelation(env: ToolEnv, id: number): Relation {
  if (id === -1) throw new UsageError("no relation id specified");
  return unitRelation(env.state, env.ctx.unit, id) ?? getRelation(env.state, id);
}

export const relationIds: Tool = (args, env) => {
  const parsed = parseFlags(args, formatFlags());
  const app = appOf(env.ctx.unit);
  let rest = parsed.args;
  let name: string;
  if (rest.length > 0) {
    name = rest[0]!;
    rest = rest.slice(1);
  } else if (env.ctx.relationId !== null) {
    name = localEnd(getRelation(env.state, env.ctx.relationId), app).endpoint;
  } else {
    throw new UsageError("no endpoint name specified");
  }
  checkEmpty(rest);
  const ids = env.state.relations
    .filter((r) => {
      const view = r.views[env.ctx.unit];
      return view !== undefined && !isBroken(r, view) && localEnd(r, app).endpoint === name;
    })
    .map((r) => `${name}:${r.id}`)
    .sort();
  return { stdout: output(parsed, env.cwd, ids) };
};

export const relationList: Tool = (args, env) => {
  const rid = { id: -1 };
  const parsed = parseFlags(args, [relationFlag(env, rid), appFlag, ...formatFlags()]);
  const relation = hookRelation(env, rid.id);
  checkEmpty(parsed.args);
  const app = appOf(env.ctx.unit);
  if (parsed.values.get("app") === true) {
    return { stdout: output(parsed, env.cwd, remoteEnd(relation, app).app) };
  }
  return { stdout: output(parsed, env.cwd, contextMembers(env, relation)) };
};

/**
 * A relation the unit is still in but that relation-ids no longer lists: removed, not a peer
 * relation, and with no member left (runner/context/contextfactory.go getContextRelations), as
 * during its -broken.
 */
function isBroken(relation: Relation, view: RelationView): boolean {
  return !relation.peer && relation.dying && Object.keys(view.members).length === 0;
}

/**
 * The units relation-list shows: those the unit has recorded as joined, plus the remote unit of
 * the hook running for this relation, minus the one departing in -departed (contextfactory.go
 * HookContext: RelationCache.InvalidateMember and RemoveMember).
 */
function contextMembers(env: ToolEnv, relation: Relation): string[] {
  const members = new Set(Object.keys(relation.views[env.ctx.unit]?.members ?? {}));
  const { remoteUnit, relationId, name } = env.ctx;
  if (relationId === relation.id && remoteUnit !== "") {
    if (name.endsWith("-relation-departed")) members.delete(remoteUnit);
    else members.add(remoteUnit);
  }
  return [...members].sort();
}

/** Committed values overlaid with this hook's pending writes ("" deletes). */
function withPending(
  committed: Record<string, string> | undefined,
  pending: Record<string, string>,
) {
  const merged: Record<string, string> = { ...committed };
  for (const [key, value] of Object.entries(pending)) {
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function relationGetTarget(env: ToolEnv, args: string[], application: boolean) {
  if (args.length > 0) {
    const supplied = args.shift()!;
    if (!application) return { target: supplied, application };
    if (/^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/.test(supplied)) {
      return { target: supplied, application };
    }
    if (/^.+\/[0-9]+$/.test(supplied)) return { target: appOf(supplied), application };
    return { target: "", application };
  }
  if (application) {
    if (env.ctx.remoteApp === "") throw new UsageError("no unit or application specified");
    return { target: env.ctx.remoteApp, application };
  }
  if (env.ctx.remoteUnit !== "") return { target: env.ctx.remoteUnit, application };
  if (env.ctx.remoteApp !== "") return { target: env.ctx.remoteApp, application: true };
  throw new UsageError("no unit or application specified");
}

export const relationGet: Tool = (args, env) => {
  const rid = { id: -1 };
  const parsed = parseFlags(args, [relationFlag(env, rid), appFlag, ...formatFlags()]);
  const relation = hookRelation(env, rid.id);
  const rest = [...parsed.args];
  let key = "";
  if (rest.length > 0) {
    key = rest.shift()!;
    if (key === "-") key = "";
  }
  const { target, application } = relationGetTarget(env, rest, parsed.values.get("app") === true);
  checkEmpty(rest);

  const unit = env.ctx.unit;
  const app = appOf(unit);
  const pending = env.ctx.pending[String(relation.id)] ?? { unit: {}, app: {} };
  let settings: Record<string, string>;
  if (target === unit || (target === app && isLeader(env.state, unit))) {
    settings = application
      ? withPending(relation.appData[app], pending.app)
      : withPending(relation.unitData[unit], pending.unit);
  } else if (application) {
    const readable = relation.ends.some((e) => e.app === target);
    if (!readable || (target === app && !relation.peer)) throw new RunError("permission denied");
    settings = { ...relation.appData[target] };
  } else {
    const bag = relation.unitData[target];
    if (!bag) throw new RunError("permission denied");
    settings = { ...bag };
  }
  const value = key === "" ? settings : (settings[key] ?? null);
  return { stdout: output(parsed, env.cwd, value) };
};

export const relationSet: Tool = (args, env) => {
  const rid = { id: -1 };
  const parsed = parseFlags(args, [
    relationFlag(env, rid),
    appFlag,
    { names: ["file"], kind: "value" },
    { names: ["format"], kind: "value" },
  ]);
  const relation = hookRelation(env, rid.id);
  const overrides = parseKeyValues(parsed.args);

  let stderr = "";
  if (parsed.values.has("format")) stderr = `--format flag deprecated for command "relation-set"`;
  const settings = new Map<string, string>();
  const file = parsed.values.get("file");
  if (typeof file === "string") {
    const yaml = readAsYamlV2(readSettingsSource(file, env.cwd, env.stdin));
    for (const [k, v] of parseSettingsFile(yaml)) {
      settings.set(k, v);
    }
  }
  for (const [k, v] of overrides) settings.set(k, v);

  const application = parsed.values.get("app") === true;
  if (application && !contextIsLeader(env.state, env.ctx)) {
    throw new RunError("cannot write relation settings");
  }
  const pending = (env.ctx.pending[String(relation.id)] ??= { unit: {}, app: {} });
  const bag = application ? pending.app : pending.unit;
  for (const [k, v] of settings) bag[k] = v;
  return { stdout: "", stderr };
};

export const relationModelGet: Tool = (args, env) => {
  const rid = { id: -1 };
  const parsed = parseFlags(args, [relationFlag(env, rid), ...formatFlags()]);
  hookRelation(env, rid.id);
  checkEmpty(parsed.args);
  return { stdout: output(parsed, env.cwd, { uuid: env.state.model.uuid }) };
};
