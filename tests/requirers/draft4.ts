// The subset of JSON Schema draft-04 the v1–v3 libraries' schemas use (`type`, `required`,
// `properties`, `items`, `additionalProperties`), with Python jsonschema's type semantics.
// Annotation keywords (`$id`, `title`, `examples`, ...) are ignored as jsonschema does.

import { isJsonObject, type JsonValue } from "./pyjson.ts";

export type SchemaType = "object" | "array" | "string" | "boolean" | "integer" | "number" | "null";

export interface Draft4Schema {
  type?: SchemaType;
  required?: readonly string[];
  properties?: Readonly<Record<string, Draft4Schema>>;
  items?: Draft4Schema;
  additionalProperties?: boolean;
}

function hasType(v: JsonValue, t: SchemaType): boolean {
  switch (t) {
    case "object":
      return isJsonObject(v);
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    case "number":
      return typeof v === "number";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
  }
}

function describe(v: JsonValue): string {
  return v === null ? "None" : JSON.stringify(v).slice(0, 60);
}

/** Every violation, as `<path>: <message>` (jsonschema's wording where it matters). */
export function validateDraft4(schema: Draft4Schema, value: JsonValue, path = "$"): string[] {
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    return [`${path}: ${describe(value)} is not of type '${schema.type}'`];
  }
  const errors: string[] = [];
  if (isJsonObject(value)) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) errors.push(`${path}: '${key}' is a required property`);
    }
    for (const [key, sub] of Object.entries(schema.properties ?? {})) {
      const child = value[key];
      if (child !== undefined) errors.push(...validateDraft4(sub, child, `${path}.${key}`));
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(value)) {
        if (!(key in (schema.properties ?? {}))) {
          errors.push(`${path}: additional property '${key}' is not allowed`);
        }
      }
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => errors.push(...validateDraft4(items, item, `${path}[${i}]`)));
  }
  return errors;
}
