export type PythonJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly PythonJsonValue[]
  | { readonly [key: string]: PythonJsonValue | undefined };

/**
 * JSON text exactly as Python's json.dumps writes it with default arguments: ", " and ": "
 * separators and every non-ASCII character escaped. Python requirers compare what they read
 * with json.loads, so this only matters for byte-identical databags, which we promise.
 */
export function pythonJsonDumps(value: PythonJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return escapeString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value} as JSON`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  const members = Object.entries(value)
    .filter((entry): entry is [string, PythonJsonValue] => entry[1] !== undefined)
    .map(([key, member]) => `${escapeString(key)}: ${pythonJsonDumps(member)}`);
  return `{${members.join(", ")}}`;
}

function isArray(value: PythonJsonValue): value is readonly PythonJsonValue[] {
  return Array.isArray(value);
}

function escapeString(text: string): string {
  // Python escapes everything outside printable ASCII (space to tilde), DEL included.
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
