// lib v3 (LIBPATCH 27) as a requirer: the v2 schema check, then `get_provider_certificates`,
// which skips entries whose certificate is empty or not a readable PEM, and computes each
// certificate's expiry-notification time from `recommended_expiry_notification_time` before it
// looks at the CSR. That computation calls `abs()` and `timedelta(hours=...)`, so a value that
// is not a number raises, uncaught, in every unit of the requirer.

import { X509Certificate } from "node:crypto";
import { invalidDatabag, hookError, OutcomeBuilder } from "./outcome.ts";
import { parseCertificatePem } from "./pem.ts";
import { checkProviderSchema } from "./v1.ts";
import type { JsonValue } from "./pyjson.ts";
import type { Acceptance, ProviderDatabag, RequirerView } from "./types.ts";

const DATETIME_MIN_MS = Date.parse("0001-01-01T00:00:00Z");
/** `timedelta` refuses more than 999999999 days. */
const TIMEDELTA_MAX_HOURS = 999_999_999 * 24;

function pythonTypeName(v: JsonValue): string {
  if (v === null) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "dict";
  return typeof v === "string" ? "str" : typeof v;
}

/** The exception `calculate_expiry_notification_time` raises for this value, if any. */
export function expiryNotificationError(
  recommended: JsonValue | undefined,
  certificateDer: Buffer,
): string | undefined {
  if (recommended === undefined || recommended === null) return undefined;
  if (typeof recommended !== "number" && typeof recommended !== "boolean") {
    return `TypeError: bad operand type for abs(): '${pythonTypeName(recommended)}'`;
  }
  const hours = Math.abs(Number(recommended));
  if (hours > TIMEDELTA_MAX_HOURS) {
    return `OverflowError: days=${Math.floor(hours / 24)}; must have magnitude <= 999999999`;
  }
  const expiry = Date.parse(new X509Certificate(certificateDer).validTo);
  if (expiry - hours * 3_600_000 < DATETIME_MIN_MS) return "OverflowError: date value out of range";
  return undefined;
}

export function readProviderDatabagV3(view: RequirerView, bag: ProviderDatabag): Acceptance {
  const schema = checkProviderSchema(bag, "v3");
  if (!schema.ok) return invalidDatabag(view.ownCsrs, schema.reason);
  const own = new Set(view.ownCsrs.map((c) => c.csr));
  const out = new OutcomeBuilder(view.ownCsrs);
  for (const entry of schema.entries) {
    const csr = entry.certificate_signing_request;
    if (entry.certificate === "") {
      if (own.has(csr)) out.reject(csr, "no certificate in the entry");
      continue;
    }
    const cert = parseCertificatePem(entry.certificate);
    if (!cert.ok) {
      if (own.has(csr)) out.reject(csr, `certificate skipped: ${cert.reason}`);
      continue;
    }
    const crash = expiryNotificationError(
      entry.raw["recommended_expiry_notification_time"],
      cert.value.der,
    );
    if (crash !== undefined) return hookError(view.ownCsrs, crash);
    if (csr === "" || !own.has(csr)) continue;
    if (entry.revoked === true) {
      out.reject(csr, "certificate revoked by the provider");
      continue;
    }
    out.accept({ csr, certificate: entry.certificate, ca: entry.ca, chain: entry.chain });
  }
  return out.build();
}
