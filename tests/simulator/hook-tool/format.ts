// cmd.Output of juju/cmd: the --format (smart|yaml|json) and -o/--output flags and the three
// formatters, reproduced byte for byte where a charm can see the difference.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import { goQuote, type FlagDef, type Parsed } from "./flags.ts";

const FORMATS = ["smart", "yaml", "json"] as const;
export type FormatName = (typeof FORMATS)[number];

export function formatFlags(): FlagDef[] {
  return [
    {
      names: ["format"],
      kind: "value",
      set: (value) => {
        if (!(FORMATS as readonly string[]).includes(value)) {
          throw new Error(`unknown format ${goQuote(value)}`);
        }
      },
    },
    { names: ["o", "output"], kind: "value" },
  ];
}

const GO_JSON_ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

function goJsonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const escaped = GO_JSON_ESCAPES[ch];
    if (escaped !== undefined) out += escaped;
    else if (ch.charCodeAt(0) < 0x20) out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's json.Marshal: sorted map keys, no spaces, HTML characters escaped, nil as null. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "bigint") return String(value);
  if (typeof value === "number") {
    if (Number.isFinite(value)) return String(value);
    // encoding/json refuses them: json.UnsupportedValueError with strconv's 'g' text.
    throw new Error(
      `json: unsupported value: ${Number.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf"}`,
    );
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(",")}}`;
  }
  return "null";
}

/** yaml.v2 style: sorted keys, sequences not indented under their key, YAML 1.1 quoting. */
export function goYaml(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = stringify(value, {
    version: "1.1",
    sortMapEntries: true,
    indentSeq: false,
    lineWidth: 0,
  }).replace(/\n+$/, "");
  return text === "" ? "" : `${text}\n`;
}

export function formatSmart(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (typeof value === "string") text = value;
  else if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    text = value.join("\n");
  } else if (typeof value === "boolean") text = value ? "True" : "False";
  else return goYaml(value);
  return text === "" ? "" : `${text}\n`;
}

export function format(name: FormatName, value: unknown): string {
  if (name === "json") return `${goJson(value)}\n`;
  if (name === "yaml") return goYaml(value);
  return formatSmart(value);
}

export function formatName(parsed: Parsed, fallback: FormatName = "smart"): FormatName {
  const name = parsed.values.get("format");
  return typeof name === "string" ? (name as FormatName) : fallback;
}

/** Formats value as the flags ask; with -o the text goes to the file and stdout stays empty. */
export function output(parsed: Parsed, cwd: string, value: unknown): string {
  const text = format(formatName(parsed), value);
  const path = parsed.values.get("o");
  if (typeof path === "string" && path !== "") {
    writeFileSync(resolve(cwd, path), text);
    return "";
  }
  return text;
}
