// The shapes Juju's hook tools print with --format=json. They are few and flat, and checking
// them by hand keeps every hook from paying for a schema library before its handler needs one.

export interface JsonShape<T> {
  readonly description: string;
  readonly matches: (value: unknown) => value is T;
}

export const stringList: JsonShape<string[]> = {
  description: "a list of strings",
  matches: (value): value is string[] =>
    Array.isArray(value) && value.every((item) => typeof item === "string"),
};

export const stringMap: JsonShape<Record<string, string> | null> = {
  description: "a map of strings, or null",
  matches: (value): value is Record<string, string> | null =>
    value === null ||
    (isPlainObject(value) && Object.values(value).every((item) => typeof item === "string")),
};

export const jsonMap: JsonShape<Record<string, unknown> | null> = {
  description: "a map, or null",
  matches: (value): value is Record<string, unknown> | null =>
    value === null || isPlainObject(value),
};

export const jsonString: JsonShape<string> = {
  description: "a string",
  matches: (value): value is string => typeof value === "string",
};

export const jsonBoolean: JsonShape<boolean> = {
  description: "true or false",
  matches: (value): value is boolean => typeof value === "boolean",
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
