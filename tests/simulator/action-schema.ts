// The JSON schema Juju builds for each action from actions.yaml, validated as juju/gojsonschema
// does (its message texts, "<context> : <description>, given <value>", joined with "; "), then
// InsertDefaults.
import { goJson } from "./hook-tool/format.ts";

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

const CONSUMED = ["parallel", "execution-group"];

/** charm.ReadActionsYaml: params become properties; any other top-level key is copied as is. */
export function actionSchema(name: string, spec: Schema): Schema {
  const schema: Schema = {
    description: "No description",
    type: "object",
    title: name,
    properties: {},
  };
  for (const [key, value] of Object.entries(spec)) {
    if (CONSUMED.includes(key)) continue;
    schema[key === "params" ? "properties" : key] = value ?? {};
  }
  return schema;
}

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function jsonType(value: unknown): string[] {
  if (value === null) return ["null"];
  if (Array.isArray(value)) return ["array"];
  if (typeof value === "number")
    return Number.isInteger(value) ? ["integer", "number"] : ["number"];
  if (typeof value === "boolean") return ["boolean"];
  if (typeof value === "string") return ["string"];
  return ["object"];
}

interface Failure {
  context: string;
  description: string;
  value: unknown;
}

function validateNode(schema: Schema, value: unknown, context: string, out: Failure[]): void {
  const fail = (description: string, at = context, given = value): void => {
    out.push({ context: at, description, value: given });
  };
  const declared = schema["type"];
  if (declared !== undefined) {
    const types = Array.isArray(declared) ? declared.map(String) : [String(declared)];
    if (!jsonType(value).some((t) => types.includes(t))) {
      fail(`must be of type ${types.length === 1 ? types[0] : `[${types.join(",")}]`}`);
      return;
    }
  }
  const allowed = schema["enum"];
  if (Array.isArray(allowed) && !allowed.some((e) => goJson(e) === goJson(value))) {
    fail(`must match one of the enum values [${allowed.map(goJson).join(", ")}]`);
  }
  if (typeof value === "number") validateNumber(schema, value, fail);
  if (typeof value === "string") {
    const length = [...value].length;
    const min = schema["minLength"];
    const max = schema["maxLength"];
    const pattern = schema["pattern"];
    if (typeof min === "number" && length < min)
      fail(`string length must be greater or equal to ${min}`);
    if (typeof max === "number" && length > max)
      fail(`string length must be lower or equal to ${max}`);
    if (typeof pattern === "string" && !new RegExp(pattern, "u").test(value)) {
      fail(`does not match pattern '${pattern}'`);
    }
  }
  if (Array.isArray(value)) {
    const items = schema["items"];
    if (isObject(items))
      value.forEach((item, i) => validateNode(items, item, `${context}.${i}`, out));
    const min = schema["minItems"];
    const max = schema["maxItems"];
    if (typeof min === "number" && value.length < min)
      fail(`array must have at least ${min} items`);
    if (typeof max === "number" && value.length > max)
      fail(`array must have at the most ${max} items`);
  }
  if (isObject(value)) validateObject(schema, value, context, out);
}

function validateNumber(schema: Schema, value: number, fail: (d: string) => void): void {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  if (typeof minimum === "number") {
    if (exclusiveMinimum === true ? value <= minimum : value < minimum) {
      fail(`must be greater than${exclusiveMinimum === true ? "" : " or equal to"} ${minimum}`);
    }
  }
  if (typeof maximum === "number") {
    if (exclusiveMaximum === true ? value >= maximum : value > maximum) {
      fail(`must be lower than${exclusiveMaximum === true ? "" : " or equal to"} ${maximum}`);
    }
  }
}

function validateObject(schema: Schema, value: Json, context: string, out: Failure[]): void {
  const properties = isObject(schema["properties"]) ? schema["properties"] : {};
  const additional = schema["additionalProperties"];
  for (const key of Object.keys(value)) {
    if (key in properties) continue;
    if (additional === false) {
      out.push({ context, description: `additional property "${key}" is not allowed`, value });
    } else if (isObject(additional)) {
      validateNode(additional, value[key], `${context}.${key}`, out);
    }
  }
  const required = schema["required"];
  if (Array.isArray(required)) {
    for (const key of required.map(String)) {
      if (!(key in value))
        out.push({ context, description: `${key} is missing and required`, value });
    }
  }
  for (const [key, sub] of Object.entries(properties)) {
    if (key in value && isObject(sub)) validateNode(sub, value[key], `${context}.${key}`, out);
  }
}

/** Returns the "validation failed: ..." message, or undefined when params are valid. */
export function validateParams(schema: Schema, params: Json): string | undefined {
  const failures: Failure[] = [];
  validateNode(schema, params, "(root)", failures);
  if (failures.length === 0) return undefined;
  const lines = failures.map((f) => `${f.context} : ${f.description}, given ${goJson(f.value)}`);
  return `validation failed: ${lines.join("; ")}`;
}

/** charm InsertDefaults: fills absent properties from their "default", recursing into objects. */
export function insertDefaults(schema: Schema, params: Json): Json {
  const result: Json = { ...params };
  const properties = isObject(schema["properties"]) ? schema["properties"] : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (!isObject(sub)) continue;
    if (!(key in result) && "default" in sub) result[key] = sub["default"];
    const current = result[key];
    if (isObject(current) && isObject(sub["properties"]))
      result[key] = insertDefaults(sub, current);
  }
  return result;
}
