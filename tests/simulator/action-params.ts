// `juju run <unit> <action> key=value ...`: key checks and the YAML 1.1 (gopkg.in/yaml.v2)
// typing of each value, so the charm receives what a real `juju run` would send.
import { parse } from "yaml";

const KEY_RULE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

const TRUE = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const FALSE = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
const NULL = ["~", "null", "Null", "NULL"];
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64): sign, then 0x/0o/0b prefixes or a leading 0 for octal. */
function goParseInt(text: string): number | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(
    text,
  );
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  let value: number;
  if (/^0[xXoObB]/.test(digits)) value = Number(digits.toLowerCase());
  else if (digits.startsWith("0") && digits.length > 1) value = parseInt(digits.slice(1), 8);
  else value = Number(digits);
  if (!Number.isSafeInteger(value)) return undefined;
  return sign === "-" ? -value : value;
}

/** yaml.v2's resolve() for a plain scalar. */
export function resolvePlain(text: string): unknown {
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  if (NULL.includes(text)) return null;
  if (/^[-+0-9.]/.test(text)) {
    const plain = text.replaceAll("_", "");
    const int = goParseInt(plain);
    if (int !== undefined) return int;
    if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  }
  return text;
}

/** yaml.Unmarshal of one CLI value into interface{}. */
export function coerceValue(value: string): unknown {
  if (value === "") return "";
  const trimmed = value.trim();
  const isPlain =
    !/^[[{"'|>!&*%@`#]/.test(trimmed) && !/: |\s#|\n/.test(trimmed) && !trimmed.endsWith(":");
  if (isPlain) return resolvePlain(trimmed);
  return parse(value, { version: "1.1" }) as unknown;
}

export function parseCliParams(args: string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq < 0) throw new Error(`argument "${arg}" must be of the form key...=value`);
    const keys = arg.slice(0, eq).split(".");
    for (const key of keys) {
      if (!KEY_RULE.test(key)) {
        throw new Error(
          `key "${key}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric and hyphens`,
        );
      }
    }
    let node = params;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = coerceValue(arg.slice(eq + 1));
  }
  return params;
}
