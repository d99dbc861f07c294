// lib v1 (LIBPATCH 14, the last functional one) and v2 as requirers. Both validate the whole
// provider app databag against PROVIDER_JSON_SCHEMA, then hand over every entry whose
// `certificate_signing_request` is, as a Python string, one of the unit's own CSRs. v2 parses
// the certificate only to compute an expiry time and merely logs a PEM it cannot read.

import { validateDraft4 } from "./draft4.ts";
import { invalidDatabag, OutcomeBuilder } from "./outcome.ts";
import { isJsonObject, loadRelationDataV1toV3, type JsonValue } from "./pyjson.ts";
import { PROVIDER_SCHEMA_V1_TO_V3 } from "./schemas.ts";
import type { Acceptance, ProviderDatabag, RequirerView } from "./types.ts";

/** Entries of a databag that passed PROVIDER_JSON_SCHEMA, typed as the schema guarantees. */
export interface SchemaEntry {
  certificate_signing_request: string;
  certificate: string;
  ca: string;
  chain: string[];
  revoked?: boolean;
  raw: { [key: string]: JsonValue };
}

export type SchemaCheck = { ok: true; entries: SchemaEntry[] } | { ok: false; reason: string };

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

export function checkProviderSchema(bag: ProviderDatabag, version: string): SchemaCheck {
  const data = loadRelationDataV1toV3(bag);
  const errors = validateDraft4(PROVIDER_SCHEMA_V1_TO_V3, data);
  if (errors.length > 0) {
    return { ok: false, reason: `provider databag fails the ${version} JSON schema: ${errors[0]}` };
  }
  const list = data["certificates"];
  const entries = (Array.isArray(list) ? list : []).filter(isJsonObject).map((raw) => {
    const revoked = raw["revoked"];
    return {
      certificate_signing_request: String(raw["certificate_signing_request"]),
      certificate: String(raw["certificate"]),
      ca: String(raw["ca"]),
      chain: strings(raw["chain"]),
      ...(typeof revoked === "boolean" ? { revoked } : {}),
      raw,
    };
  });
  return { ok: true, entries };
}

function readExactMatch(view: RequirerView, bag: ProviderDatabag, label: string): Acceptance {
  const schema = checkProviderSchema(bag, label);
  if (!schema.ok) return invalidDatabag(view.ownCsrs, schema.reason);
  const own = new Set(view.ownCsrs.map((c) => c.csr));
  const out = new OutcomeBuilder(view.ownCsrs);
  for (const entry of schema.entries) {
    const csr = entry.certificate_signing_request;
    if (!own.has(csr)) continue;
    if (entry.revoked === true) {
      out.reject(csr, "certificate revoked by the provider");
      continue;
    }
    out.accept({ csr, certificate: entry.certificate, ca: entry.ca, chain: entry.chain });
  }
  return out.build();
}

export function readProviderDatabagV1(view: RequirerView, bag: ProviderDatabag): Acceptance {
  return readExactMatch(view, bag, "v1");
}

export function readProviderDatabagV2(view: RequirerView, bag: ProviderDatabag): Acceptance {
  return readExactMatch(view, bag, "v2");
}
