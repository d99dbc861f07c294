// `juju run <unit> <action> key=value ...` as cmd/juju/action/run.go does it: Init checks every
// key, then enqueueActions unmarshals each value with gopkg.in/yaml.v2 into an interface{} and
// sets it with addValueToMap (cmd/juju/action/common.go). The params go to the controller as
// JSON, so what JSON cannot carry fails there.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Node } from "yaml";
import { goQuote } from "./hook-tool/flags.ts";

const KEY_RULE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/; // charm.GetActionNameRule

// yaml.v2 resolve.go: the words it resolves before looking at numbers.
const WORDS = new Map<string, unknown>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map(
    (w) => [w, true] as const,
  ),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map(
    (w) => [w, false] as const,
  ),
  ...["", "~", "null", "Null", "NULL"].map((w) => [w, null] as const),
  ...[".nan", ".NaN", ".NAN"].map((w) => [w, NaN] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((w) => [w, Infinity] as const),
  ...["-.inf", "-.Inf", "-.INF"].map((w) => [w, -Infinity] as const),
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 0, 64), then strconv.ParseUint(s, 0, 64), as resolve() tries them. */
function goParseInteger(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(
    text,
  );
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  const prefixed = /^0[xXoObB]/.test(digits);
  const magnitude =
    prefixed || digits === "0"
      ? BigInt(digits.toLowerCase())
      : digits.startsWith("0")
        ? BigInt(`0o${digits.slice(1)}`)
        : BigInt(digits);
  const value = sign === "-" ? -magnitude : magnitude;
  const fits = sign === "" ? value <= UINT64_MAX : value >= INT64_MIN && value <= INT64_MAX;
  // JSON carries it as a number; the charm's JSON.parse sees this double either way.
  return fits ? Number(value) : undefined;
}

/** strconv.ParseFloat(s, 64) on what resolve() hands it: out-of-range values are errors. */
function goParseFloat(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** yaml.v2 resolve("", in) for a plain (unquoted, untagged) scalar. */
export function resolvePlain(text: string): unknown {
  const first = text[0] ?? "";
  const hint = /[-+0-9]/.test(first) ? "D" : first === "." ? "." : /[yYnNtTfFoO~]/.test(first);
  if (text === "" || hint) {
    if (WORDS.has(text)) return WORDS.get(text);
    if (hint === "." && /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) {
      return goParseFloat(text) ?? text;
    }
    if (hint === "D") {
      // A timestamp-looking value resolves as one but decodes into interface{} as its text.
      const plain = text.replaceAll("_", "");
      const integer = goParseInteger(plain);
      if (integer !== undefined) return integer;
      if (YAML_STYLE_FLOAT.test(plain)) return goParseFloat(plain) ?? text;
    }
  }
  return text;
}

/** Maps decoded from YAML are map[interface{}]interface{} in Go, unlike those of dotted keys. */
const yamlMaps = new WeakSet<object>();

const STR_TAG = "tag:yaml.org,2002:str";

function decode(node: Node | null | undefined, source: string): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    let text = String(node.value);
    // libyaml (and so yaml.v2) reads no final line break for a block scalar that ends the input
    // without one; the yaml library adds it.
    const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
    const atEnd = (node.range?.[1] ?? 0) >= source.trimEnd().length;
    if (block && atEnd && !source.endsWith("\n") && text.endsWith("\n")) text = text.slice(0, -1);
    if (node.tag === STR_TAG || (node.type !== "PLAIN" && node.tag === undefined)) return text;
    if (node.tag !== undefined && !node.tag.startsWith("tag:yaml.org,2002:")) return text;
    if (node.tag !== undefined) {
      throw new Error(
        `simulator: the explicit tag ${node.tag} in a juju run value is not emulated`,
      );
    }
    return resolvePlain(text);
  }
  if (isSeq(node)) return node.items.map((item) => decode(item as Node, source));
  if (isMap(node)) {
    const map: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = decode(pair.key as Node, source);
      // ConformYAML (cmd/juju/common) refuses any key that is not a string.
      if (typeof key !== "string") throw new Error("map keyed with non-string value");
      if (key === "<<") throw new Error("simulator: YAML merge keys are not emulated");
      map[key] = decode(pair.value as Node, source);
    }
    yamlMaps.add(map);
    return map;
  }
  if (isAlias(node))
    throw new Error("simulator: YAML aliases in a juju run value are not emulated");
  throw new Error("simulator: unexpected YAML node");
}

/**
 * yaml.Unmarshal([]byte(value), &cleansedValue) with cleansedValue = interface{}(value): a value
 * with no YAML document (empty, or only a comment) leaves the string as it was.
 */
export function coerceValue(value: string): unknown {
  const docs = parseAllDocuments(value, { schema: "failsafe" });
  if (docs.length === 0) return value;
  const doc = docs[0]!;
  const error = doc.errors[0];
  // The text after "yaml: " is the yaml library's, not yaml.v2's.
  if (error) throw new Error(`yaml: ${error.message.split("\n")[0]}`);
  return decode(doc.contents as Node | null, value);
}

/** What Go's encoding/json refuses in the params: NaN and ±Inf, and YAML's own maps. */
function checkJson(value: unknown): void {
  if (typeof value === "number" && !Number.isFinite(value)) {
    const shown = Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
    throw new Error(`json: unsupported value: ${shown}`);
  }
  if (value === null || typeof value !== "object") return;
  // run.go sends actionParams itself, not ConformYAML's copy, so a map a value decoded to is
  // still a map[interface{}]interface{} when the API client marshals it.
  if (yamlMaps.has(value)) throw new Error("json: unsupported type: map[interface {}]interface {}");
  for (const item of Object.values(value)) checkJson(item);
}

export function parseCliParams(args: string[]): Record<string, unknown> {
  const parsed = args.map((arg) => {
    const eq = arg.indexOf("=");
    if (eq < 0)
      throw new Error(`argument ${goQuote(arg)} must be of the form key.key.key...=value`);
    const keys = arg.slice(0, eq).split(".");
    for (const key of keys) {
      if (!KEY_RULE.test(key)) {
        throw new Error(
          `key ${goQuote(key)} must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens`,
        );
      }
    }
    return { keys, value: arg.slice(eq + 1) };
  });
  const params: Record<string, unknown> = {};
  for (const { keys, value } of parsed) {
    let node = params;
    for (const key of keys.slice(0, -1)) {
      // addValueToMap steps into a map[string]interface{} only; anything else is replaced.
      const next = node[key];
      const stringKeyed =
        next !== null && typeof next === "object" && !Array.isArray(next) && !yamlMaps.has(next);
      if (!stringKeyed) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = coerceValue(value);
  }
  checkJson(params);
  return params;
}
