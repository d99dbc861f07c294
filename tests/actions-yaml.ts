// The actions the charm declares, read from actions.yaml: a test that must cover every action
// iterates over these, so an action added there cannot be left out of it.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const declared: unknown = parse(readFileSync(new URL("../actions.yaml", import.meta.url), "utf8"));
if (typeof declared !== "object" || declared === null || Array.isArray(declared)) {
  throw new Error("actions.yaml is not a map of action names");
}

/** Every action of actions.yaml, in the order it lists them. */
export const ACTION_NAMES: readonly string[] = Object.keys(declared);

/**
 * The parameters a test gives each action, in actions.yaml's order. An action without an entry
 * gets an empty map: it is still run, and its test fails unless `{}` is enough for it.
 */
export function everyAction<P extends object>(
  table: Readonly<Partial<Record<string, P>>>,
): [name: string, params: P | Record<string, never>][] {
  const unknown = Object.keys(table).filter((name) => !ACTION_NAMES.includes(name));
  if (unknown.length > 0) throw new Error(`not actions of actions.yaml: ${unknown.join(", ")}`);
  return ACTION_NAMES.map((name) => [name, table[name] ?? {}]);
}
