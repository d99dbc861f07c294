import * as z from "zod/mini";
import { readJsonList } from "./json-value.ts";
import { pythonJsonDumps } from "./python-json.ts";

/**
 * One refused request, as charmlibs requirers (1.3+) read `request_errors`. The library's key
 * is `csr`, whatever the interface README says: `certificate_signing_request` there makes
 * those requirers drop every certificate of the relation.
 */
export interface RequestError {
  readonly csr: string;
  readonly code: number;
  readonly name: string;
  readonly message: string;
  /** charmlibs' optional `reason`; ours says who refused (see POLICY_REASON). */
  readonly reason?: string;
}

export const REQUEST_ERRORS_KEY = "request_errors";
/**
 * charmlibs' CertificateRequestErrorCode (canonical/charmlibs interfaces/tls-certificates/src/
 * charmlibs/interfaces/tls_certificates/_tls_certificates.py): the numbers are the library's,
 * the names as the interface README (interface/v1/README.md, "Error Codes") writes them.
 */
export const IP_NOT_ALLOWED = { code: 101, name: "ip_not_allowed" } as const;
export const DOMAIN_NOT_ALLOWED = { code: 102, name: "domain_not_allowed" } as const;
export const WILDCARD_NOT_ALLOWED = { code: 103, name: "wildcard_not_allowed" } as const;
/** CertificateRequestErrorCode.OTHER: what an operator's refusal is. */
export const OTHER_ERROR = { code: 999, name: "other" } as const;

/**
 * The `reason` of the refusals the signing policy makes (charmlibs' CertificateError has an
 * optional `reason`; its requirers pass it to the charm and otherwise ignore it). It tells the
 * policy's own refusals from the operator's, which never carry it, so a policy change withdraws
 * only its own.
 */
export const POLICY_REASON = "signing-policy";

const storedError = z.object({
  csr: z.string(),
  error: z.object({
    code: z.int(),
    name: z.string(),
    message: z.string(),
    reason: z.optional(z.nullable(z.string())),
  }),
});

export interface ParsedRequestErrors {
  readonly errors: readonly RequestError[];
  readonly problems: readonly string[];
}

export function parseRequestErrors(databag: Readonly<Record<string, string>>): ParsedRequestErrors {
  const reading = readJsonList(databag, REQUEST_ERRORS_KEY);
  if (reading.kind === "absent") return { errors: [], problems: [] };
  if (reading.kind === "invalid") return { errors: [], problems: [reading.problem] };
  const decoded = reading.items;
  const errors: RequestError[] = [];
  const problems: string[] = [];
  decoded.forEach((item: unknown, index) => {
    const parsed = z.safeParse(storedError, item);
    if (!parsed.success) {
      problems.push(
        `${REQUEST_ERRORS_KEY} entry ${index} is not {csr, error: {code, name, message}}`,
      );
      return;
    }
    const { csr, error } = parsed.data;
    const entry = { csr: csr.trim(), code: error.code, name: error.name, message: error.message };
    errors.push(typeof error.reason === "string" ? { ...entry, reason: error.reason } : entry);
  });
  return { errors, problems };
}

/** The JSON charmlibs' pydantic model dumps, or undefined for none (the key is then removed). */
export function serializeRequestErrors(errors: readonly RequestError[]): string | undefined {
  if (errors.length === 0) return undefined;
  return pythonJsonDumps(
    errors.map((entry) => ({
      csr: entry.csr,
      error: {
        code: entry.code,
        name: entry.name,
        message: entry.message,
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      },
    })),
  );
}
