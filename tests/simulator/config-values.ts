// Charm config values as Juju types them. A string, as `juju config app key=value` sends it, is
// parsed by the charm's Config.ParseSettingsStrings (github.com/juju/charm config.go
// Option.parse): Go's strconv.ParseInt(s, 10, 64), ParseFloat(s, 64) and ParseBool, so " 5 ",
// "0x10" and "1_000" are refused for an int and an int keeps all 64 bits. A typed value, as a YAML
// file or a test gives it, goes through Option.validate (juju/schema Int, Float, Bool). The state
// file is JSON, so an int beyond 2^53 and a non-finite float are kept as tagged strings.
import { goQuote } from "./hook-tool/flags.ts";

/** What the charm reads: an int beyond 2^53 is a bigint. */
export type ConfigValue = string | number | boolean | bigint;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A config value as `juju config` would store it, or a typed error naming the option. */
export function parseOptionValue(key: string, type: string, value: unknown): unknown {
  const parsed = typeof value === "string" ? parseString(type, value) : coerce(type, value);
  if (parsed === undefined) {
    throw new Error(`option ${goQuote(key)} expected ${type}, got ${goSyntax(value)}`);
  }
  return encode(parsed);
}

/** Go's %#v of what was given, as Option.error prints it. */
function goSyntax(value: unknown): string {
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? String(value);
}

function parseString(type: string, text: string): ConfigValue | undefined {
  switch (type) {
    case "string":
    case "secret":
      return text;
    case "int":
      return /^[+-]?[0-9]+$/.test(text) ? int64(BigInt(text)) : undefined;
    case "float":
      return parseGoFloat(text);
    case "boolean":
      return parseGoBool(text);
    default:
      return undefined;
  }
}

function coerce(type: string, value: unknown): ConfigValue | undefined {
  switch (type) {
    case "int":
      if (typeof value === "bigint") return int64(value);
      return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
    case "float":
      if (typeof value === "bigint") return Number(value);
      return typeof value === "number" ? value : undefined;
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    default:
      return undefined;
  }
}

function int64(value: bigint): ConfigValue | undefined {
  if (value < INT64_MIN || value > INT64_MAX) return undefined;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** strconv.ParseBool. */
function parseGoBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

const DECIMAL_FLOAT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/;

/**
 * strconv.ParseFloat(s, 64): Go's decimal and hexadecimal float syntax ("0x10" has no p exponent
 * and is refused), "inf", "infinity" and "nan" in any case, and an error for a value beyond the
 * float64 range. Underscores, which Go allows after a base prefix only, are refused here.
 */
function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (special) return special[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  let value: number;
  const hex = HEX_FLOAT.exec(text);
  if (hex) {
    const [, sign, whole = "", fraction = "", exponent = "0"] = hex;
    if (whole + fraction === "") return undefined;
    const mantissa = Number.parseInt(whole + fraction || "0", 16);
    value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
    if (sign === "-") value = -value;
  } else if (DECIMAL_FLOAT.test(text)) {
    value = Number(text);
  } else {
    return undefined;
  }
  return Number.isFinite(value) ? value : undefined;
}

const INT64_TAG = "$int64";
const FLOAT_TAG = "$float";

/** The JSON-safe form kept in the state file. */
function encode(value: ConfigValue): unknown {
  if (typeof value === "bigint") return { [INT64_TAG]: String(value) };
  if (typeof value === "number" && !Number.isFinite(value)) {
    return { [FLOAT_TAG]: Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf" };
  }
  return value;
}

/** A stored value (or an option's default) as the charm reads it. */
export function decodeConfigValue(stored: unknown): unknown {
  if (stored === null || typeof stored !== "object") return stored;
  const tagged = stored as Record<string, unknown>;
  const int = tagged[INT64_TAG];
  if (typeof int === "string") return BigInt(int);
  const float = tagged[FLOAT_TAG];
  if (float === "NaN") return NaN;
  if (float === "+Inf") return Infinity;
  if (float === "-Inf") return -Infinity;
  return stored;
}

/** An option's default as config.yaml gives it (parsed with integers as bigint), stored. */
export function encodeDefault(value: unknown): unknown {
  if (typeof value === "bigint") return encode(int64(value) ?? Number(value));
  return value ?? null;
}
