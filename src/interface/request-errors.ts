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
}

export const REQUEST_ERRORS_KEY = "request_errors";
/** charmlibs' CertificateRequestErrorCode.OTHER: what an operator's refusal is. */
export const OTHER_ERROR = { code: 999, name: "other" } as const;

const storedError = z.object({
  csr: z.string(),
  error: z.object({ code: z.int(), name: z.string(), message: z.string() }),
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
    errors.push({ csr: csr.trim(), code: error.code, name: error.name, message: error.message });
  });
  return { errors, problems };
}

/** The JSON charmlibs' pydantic model dumps, or undefined for none (the key is then removed). */
export function serializeRequestErrors(errors: readonly RequestError[]): string | undefined {
  if (errors.length === 0) return undefined;
  return pythonJsonDumps(
    errors.map((entry) => ({
      csr: entry.csr,
      error: { code: entry.code, name: entry.name, message: entry.message },
    })),
  );
}
