// juju/utils keyvalues.Parse and the settings file reader that relation-set and leader-set use.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isMap, isScalar, isSeq, parseDocument, Scalar } from "yaml";
import { goQuote, UsageError } from "./flags.ts";
import { RunError } from "./tool.ts";

/** keyvalues.Parse(args, allowEmptyValues=true): trims keys and values, rejects duplicates. */
export function parseKeyValues(args: string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const arg of args) {
    if (arg === "") continue;
    const eq = arg.indexOf("=");
    if (eq < 0) throw new UsageError(`expected "key=value", got ${goQuote(arg)}`);
    const key = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    if (key.length === 0) throw new UsageError(`expected "key=value", got "${key}=${value}"`);
    if (result.has(key)) throw new UsageError(`key ${goQuote(key)} specified more than once`);
    result.set(key, value);
  }
  return result;
}

/**
 * A YAML map of strings, as yaml.v2 decodes into map[string]string: scalars keep their literal
 * text (5 stays "5", yes stays "yes"), null becomes "", anything nested is an error.
 */
export function parseSettingsFile(text: string): Map<string, string> {
  const doc = parseDocument(text, { version: "1.1" });
  if (doc.errors.length > 0) throw new RunError(`yaml: ${doc.errors[0]!.message.split("\n")[0]}`);
  const root = doc.contents;
  const result = new Map<string, string>();
  if (root === null) return result;
  if (isScalar(root)) {
    const literal = scalarText(root);
    if (literal === "") return result;
    throw new RunError(`expected YAML map, got ${goQuote(literal)}`);
  }
  if (isSeq(root)) {
    if (root.items.length === 0) return result;
    const items = root.items.map((item) => (isScalar(item) ? goQuote(scalarText(item)) : "?"));
    throw new RunError(`expected YAML map, got []string{${items.join(", ")}}`);
  }
  if (!isMap(root)) throw new RunError("yaml: unsupported document");
  root.items.forEach((pair, index) => {
    const key = isScalar(pair.key) ? scalarText(pair.key) : "";
    const value = pair.value;
    if (value !== null && !isScalar(value)) {
      const kind = isMap(value) ? "!!map" : "!!seq";
      throw new RunError(
        `yaml: unmarshal errors:\n  line ${index + 1}: cannot unmarshal ${kind} into string`,
      );
    }
    result.set(key, value === null ? "" : scalarText(value));
  });
  return result;
}

function scalarText(node: Scalar): string {
  if (node.value === null) return "";
  if (node.type === Scalar.PLAIN && typeof node.source === "string") return node.source;
  return String(node.value);
}

/** cmd.FileVar: "-" reads stdin, anything else a path relative to the tool's working directory. */
export function readSettingsSource(path: string, cwd: string, stdin: () => string): string {
  if (path === "-") return stdin();
  try {
    return readFileSync(resolve(cwd, path), "utf8");
  } catch {
    throw new RunError(`open ${resolve(cwd, path)}: no such file or directory`);
  }
}
