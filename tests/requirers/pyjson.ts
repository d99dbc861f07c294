// Python's json module as the libraries use it: `json.dumps` with default separators and
// ensure_ascii, and `json.loads`. JavaScript parses the same documents except Python's
// NaN/Infinity extensions, which no library writes.

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function dumpString(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** `json.dumps(value)`: `", "` and `": "` separators, non-ASCII escaped, insertion key order. */
export function pyJsonDumps(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return dumpString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot serialise ${value} as JSON`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return "[" + value.map(pyJsonDumps).join(", ") + "]";
  if (typeof value === "object") {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => dumpString(k) + ": " + pyJsonDumps(v));
    return "{" + parts.join(", ") + "}";
  }
  throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
}

export type LoadResult = { ok: true; value: JsonValue } | { ok: false; error: string };

/** `json.loads(text)`. */
export function pyJsonLoads(text: string): LoadResult {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * `_load_relation_data` of lib v1–v3: every value JSON-decoded, the raw string kept when it is
 * not JSON.
 */
export function loadRelationDataV1toV3(bag: Readonly<Record<string, string>>): {
  [key: string]: JsonValue;
} {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, raw] of Object.entries(bag)) {
    const loaded = pyJsonLoads(raw);
    out[key] = loaded.ok ? loaded.value : raw;
  }
  return out;
}

export function isJsonObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
