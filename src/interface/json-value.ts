/** The JSON list stored under a databag key; relation data values are JSON text. */
export type JsonListReading =
  | { readonly kind: "absent" }
  | { readonly kind: "list"; readonly items: readonly unknown[] }
  | { readonly kind: "invalid"; readonly problem: string };

export function readJsonList(
  databag: Readonly<Record<string, string>>,
  key: string,
): JsonListReading {
  const raw = databag[key];
  if (raw === undefined) return { kind: "absent" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    return { kind: "invalid", problem: `${key} is not JSON` };
  }
  if (!Array.isArray(decoded)) return { kind: "invalid", problem: `${key} is not a JSON list` };
  return { kind: "list", items: decoded };
}
