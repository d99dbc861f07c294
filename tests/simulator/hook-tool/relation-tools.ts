// relation-ids, relation-list, relation-get, relation-set and relation-model-get.
import { appOf, getRelation, localEnd, remoteEnd, unitRelation } from "../model.ts";
import { memberSettings } from "../relation-cache.ts";
import type { Relation, RelationView } from "../state.ts";
import { contextIsLeader } from "../leadership.ts";
import { checkEmpty, goQuote, parseFlags, UsageError, type FlagDef } from "./flags.ts";
import { formatFlags, output } from "./format.ts";
import { parseKeyValues, parseSettingsFile, readSettingsSource } from "./keyvalues.ts";
import {
  isValidApplication,
  isValidUnit,
  readAppSettings,
  readUnitSettings,
} from "./relation-reads.ts";
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

/**
 * relation-get.go determineUnitOrAppName: a name given wins (with --app a unit name stands for
 * its application, and a name that is neither leaves none); without --app it must be a unit
 * name. Else the hook's remote unit, or its remote application with --app implied.
 */
function relationGetTarget(env: ToolEnv, args: string[], application: boolean) {
  if (args.length > 0) {
    const supplied = args.shift()!;
    if (application) {
      if (isValidApplication(supplied)) return { target: supplied, application };
      return { target: isValidUnit(supplied) ? appOf(supplied) : "", application };
    }
    if (!isValidUnit(supplied)) {
      if (isValidApplication(supplied)) {
        throw new UsageError(`expected unit name, got application name ${goQuote(supplied)}`);
      }
      throw new UsageError(`invalid unit name ${goQuote(supplied)}`);
    }
    return { target: supplied, application };
  }
  if (application) {
    if (env.ctx.remoteApp === "") throw new UsageError("no unit or application specified");
    return { target: env.ctx.remoteApp, application };
  }
  if (env.ctx.remoteUnit !== "") return { target: env.ctx.remoteUnit, application };
  if (env.ctx.remoteApp !== "") return { target: env.ctx.remoteApp, application: true };
  throw new UsageError("no unit or application specified");
}

/**
 * Our own unit's bag, and our application's when we lead, come from the context with its pending
 * writes (mustReadSettingsFromController). A member's bag comes from the agent's cache
 * (relation-cache.ts); anything else from the controller.
 */
function readSettings(env: ToolEnv, relation: Relation, target: string, application: boolean) {
  const unit = env.ctx.unit;
  const app = appOf(unit);
  const pending = env.ctx.pending[String(relation.id)] ?? { unit: {}, app: {} };
  if (target === unit) return withPending(relation.unitData[unit], pending.unit);
  // relation-get asks the context (ctx.IsLeader), whose "no" stays for the rest of the hook.
  if (target === app && contextIsLeader(env.state, env.ctx)) {
    return withPending(relation.appData[app], pending.app);
  }
  if (application) return readAppSettings(relation, unit, target);
  const read = () => readUnitSettings(env.state, relation, target);
  const view = relation.views[unit];
  if (view && contextMembers(env, relation).includes(target)) {
    return memberSettings(view, target, read);
  }
  return read();
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
  const settings = readSettings(env, relation, target, application);
  const value = key === "" ? settings : Object.hasOwn(settings, key) ? settings[key] : null;
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
