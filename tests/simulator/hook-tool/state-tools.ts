// state-get, state-set and state-delete: the unit's charm state, in hooks and actions alike
// (internal/worker/uniter/runner/jujuc/state-get.go, state-set.go, state-delete.go). They work on
// the context's copy of the map; runner.ts commits it with the relation settings.
import { tupleTooLarge } from "../charm-state.ts";
import { getUnit } from "../model.ts";
import { checkEmpty, goQuote, parseFlags } from "./flags.ts";
import { formatFlags, output } from "./format.ts";
import { parseKeyValues, parseSettingsFile, readSettingsSource } from "./keyvalues.ts";
import { RunError, type Tool, type ToolEnv } from "./tool.ts";
import { readAsYamlV2 } from "./yaml-v2-reader.ts";

/** context.go ensureCharmStateLoaded: the whole map, read once per context on first use. */
function loaded(env: ToolEnv): Record<string, string> {
  env.ctx.charmState ??= { ...getUnit(env.state, env.ctx.unit).charmState };
  return env.ctx.charmState;
}

export const stateGet: Tool = (args, env) => {
  const parsed = parseFlags(args, [...formatFlags(), { names: ["strict"], kind: "bool" }]);
  let key = parsed.args[0] ?? "";
  if (key === "-") key = "";
  checkEmpty(parsed.args.slice(1));
  const charmState = loaded(env);
  if (key === "") {
    // GetCharmState hands out nil for an empty map: nothing in smart or yaml, null in json.
    const whole = Object.keys(charmState).length === 0 ? null : charmState;
    return { stdout: output(parsed, env.cwd, whole) };
  }
  const value = Object.hasOwn(charmState, key) ? charmState[key] : undefined;
  if (value === undefined) {
    // GetCharmStateValue's errors.NotFoundf("%q", key); without --strict, "" is printed.
    if (parsed.values.get("strict") === true) throw new RunError(`${goQuote(key)} not found`);
    return { stdout: output(parsed, env.cwd, "") };
  }
  return { stdout: output(parsed, env.cwd, value) };
};

export const stateSet: Tool = (args, env) => {
  const parsed = parseFlags(args, [{ names: ["file"], kind: "value" }]);
  // keyvalues.Parse(args, true): "k=" is kept as "", which state-set stores; it does not delete.
  const overrides = parseKeyValues(parsed.args);
  const values = new Map<string, string>();
  const file = parsed.values.get("file");
  if (typeof file === "string" && file !== "") {
    const yaml = readAsYamlV2(readSettingsSource(file, env.cwd, env.stdin));
    for (const [k, v] of parseSettingsFile(yaml)) values.set(k, v);
  }
  for (const [k, v] of overrides) values.set(k, v);
  const charmState = loaded(env);
  // Juju walks a Go map, so which of the other pairs were stored before a refused one is
  // random there; here the pairs go in argument order and stop at the first refused.
  for (const [k, v] of values) {
    const problem = tupleTooLarge(k, v);
    if (problem !== null) throw new RunError(problem);
    if (Object.hasOwn(charmState, k) && charmState[k] === v) continue;
    // An own property even for "__proto__", which plain assignment would take as the prototype.
    Object.defineProperty(charmState, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    env.ctx.charmStateDirty = true;
  }
  return { stdout: "" };
};

export const stateDelete: Tool = (args, env) => {
  const parsed = parseFlags(args, []);
  // Init returns early for gnuflag's nil args, and Run ignores an empty key: both do nothing.
  if (parsed.args.length === 0) return { stdout: "" };
  const key = parsed.args[0]!;
  checkEmpty(parsed.args.slice(1));
  if (key === "") return { stdout: "" };
  const charmState = loaded(env);
  if (Object.hasOwn(charmState, key)) {
    delete charmState[key];
    env.ctx.charmStateDirty = true;
  }
  return { stdout: "" };
};
