// The v4 / charmlibs databag models (spec §1.4) validated with pydantic v2's default lax rules
// for input that came out of `json.loads`: `str` takes only strings, `bool` also takes 0/1 and
// the words pydantic knows ("yes", "off", ...), `int` also takes integral floats, bools and
// numeric strings. Extra keys are ignored.

import { isJsonObject, pyJsonLoads, type JsonValue } from "./pyjson.ts";

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

type Validator<T> = (v: JsonValue | undefined, path: string) => Validated<T>;

const fail = (path: string, msg: string): { ok: false; error: string } => ({
  ok: false,
  error: `${path}: ${msg}`,
});

const str: Validator<string> = (v, path) =>
  typeof v === "string" ? { ok: true, value: v } : fail(path, "Input should be a valid string");

const TRUE_WORDS = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_WORDS = new Set(["0", "off", "f", "false", "n", "no"]);

const bool: Validator<boolean> = (v, path) => {
  if (typeof v === "boolean") return { ok: true, value: v };
  if (v === 0 || v === 1) return { ok: true, value: v === 1 };
  if (typeof v === "string") {
    const w = v.toLowerCase();
    if (TRUE_WORDS.has(w)) return { ok: true, value: true };
    if (FALSE_WORDS.has(w)) return { ok: true, value: false };
  }
  return fail(path, "Input should be a valid boolean");
};

const int: Validator<number> = (v, path) => {
  if (typeof v === "boolean") return { ok: true, value: v ? 1 : 0 };
  if (typeof v === "number" && Number.isInteger(v)) return { ok: true, value: v };
  if (typeof v === "string" && /^\s*[+-]?\d+(_\d+)*(\.0*)?\s*$/.test(v)) {
    return { ok: true, value: Number(v.replace(/_/g, "").replace(/\.0*\s*$/, "")) };
  }
  return fail(path, "Input should be a valid integer");
};

function optional<T>(inner: Validator<T>): Validator<T | null> {
  return (v, path) => (v === undefined || v === null ? { ok: true, value: null } : inner(v, path));
}

function list<T>(item: Validator<T>): Validator<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) return fail(path, "Input should be a valid list");
    const out: T[] = [];
    for (const [i, x] of v.entries()) {
      const r = item(x, `${path}.${i}`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  };
}

type Fields<T> = { [K in keyof T]: { validate: Validator<T[K]>; required: boolean } };

function model<T>(fields: Fields<T>): Validator<T> {
  return (v, path) => {
    if (!isJsonObject(v)) return fail(path, "Input should be a valid dictionary or instance");
    const out: Partial<T> = {};
    for (const key of Object.keys(fields) as (keyof T & string)[]) {
      const field = fields[key];
      if (field.required && !(key in v)) return fail(`${path}.${key}`, "Field required");
      const r = field.validate(v[key], `${path}.${key}`);
      if (!r.ok) return r;
      out[key] = r.value;
    }
    return { ok: true, value: out as T };
  };
}

const req = <T>(validate: Validator<T>) => ({ validate, required: true });
const opt = <T>(validate: Validator<T>) => ({ validate: optional(validate), required: false });

export interface CertificateModel {
  ca: string;
  certificate_signing_request: string;
  certificate: string;
  chain: string[] | null;
  revoked: boolean | null;
}

export const certificateModel = model<CertificateModel>({
  ca: req(str),
  certificate_signing_request: req(str),
  certificate: req(str),
  chain: opt(list(str)),
  revoked: opt(bool),
});

export interface CertificateErrorModel {
  code: number;
  name: string;
  message: string;
  reason: string | null;
  provider: string | null;
  endpoint: string | null;
}

export interface RequestErrorModel {
  csr: string;
  error: CertificateErrorModel;
}

const requestErrorModel = model<RequestErrorModel>({
  csr: req(str),
  error: req(
    model<CertificateErrorModel>({
      code: req(int),
      name: req(str),
      message: req(str),
      reason: opt(str),
      provider: opt(str),
      endpoint: opt(str),
    }),
  ),
});

export interface CapabilitiesModel {
  supports_ip_sans: boolean | null;
  supports_wildcard_dns: boolean | null;
  supports_subdomain: boolean | null;
  supports_ca_certificates: boolean | null;
  allowed_domains: string[] | null;
  provider_type: string | null;
}

const capabilitiesModel = model<CapabilitiesModel>({
  supports_ip_sans: opt(bool),
  supports_wildcard_dns: opt(bool),
  supports_subdomain: opt(bool),
  supports_ca_certificates: opt(bool),
  allowed_domains: opt(list(str)),
  provider_type: opt(str),
});

export interface ProviderAppData {
  certificates: CertificateModel[];
  request_errors: RequestErrorModel[];
  capabilities: CapabilitiesModel | null;
}

export interface ProviderModelFeatures {
  /** charmlibs ≥ 1.3 */
  requestErrors: boolean;
  /** charmlibs ≥ 1.10 */
  capabilities: boolean;
}

/**
 * `_ProviderApplicationData.load(databag)`: JSON-decode the keys that are model fields, then
 * validate. Any failure is a `DataValidationError` for the whole databag.
 */
export function loadProviderAppData(
  bag: Readonly<Record<string, string>>,
  features: ProviderModelFeatures,
): Validated<ProviderAppData> {
  const data: { [key: string]: JsonValue } = {};
  const fieldNames = [
    "certificates",
    ...(features.requestErrors ? ["request_errors"] : []),
    ...(features.capabilities ? ["capabilities"] : []),
  ];
  for (const key of fieldNames) {
    const raw = bag[key];
    if (raw === undefined) continue;
    const loaded = pyJsonLoads(raw);
    if (!loaded.ok) return fail(key, `invalid databag contents: expecting json (${loaded.error})`);
    data[key] = loaded.value;
  }
  const certificates = data["certificates"] === undefined ? undefined : list(certificateModel);
  const certs = certificates ? certificates(data["certificates"], "certificates") : undefined;
  if (certs && !certs.ok) return certs;
  const errors =
    data["request_errors"] === undefined
      ? undefined
      : list(requestErrorModel)(data["request_errors"], "request_errors");
  if (errors && !errors.ok) return errors;
  let capabilities: CapabilitiesModel | null = null;
  if (data["capabilities"] !== undefined && data["capabilities"] !== null) {
    const caps = capabilitiesModel(data["capabilities"], "capabilities");
    if (!caps.ok) return caps;
    capabilities = caps.value;
  }
  return {
    ok: true,
    value: {
      certificates: certs?.value ?? [],
      request_errors: errors?.value ?? [],
      capabilities,
    },
  };
}
