import * as z from "zod/mini";
import { readJsonList } from "./json-value.ts";

/** One certificate signing request as a requirer published it. */
export interface CertificateRequest {
  /** The CSR text exactly as the requirer wrote it, without surrounding whitespace. */
  readonly csr: string;
  readonly isCa: boolean;
}

export interface ParsedRequests {
  readonly requests: readonly CertificateRequest[];
  /** Why items or the whole value were skipped; empty when everything was usable. */
  readonly problems: readonly string[];
  /**
   * False when the value could not be read whole (not JSON, not a list, or cut at the bound):
   * requests may stand in it that were not returned.
   */
  readonly complete: boolean;
}

export const REQUESTS_KEY = "certificate_signing_requests";
/** Beyond these, a databag is not a requirer's honest work; the rest is skipped, not parsed. */
export const MAX_REQUESTS_PER_DATABAG = 5000;
export const MAX_CSR_TEXT_LENGTH = 64 * 1024;

// v1 and v2 < 19 never write `ca`; v4 may write null. All of these mean "not a CA".
const requestItem = z.object({
  certificate_signing_request: z.string(),
  ca: z.optional(z.nullable(z.boolean())),
});

/**
 * Reads `certificate_signing_requests` from one requirer databag (unit or app), written by any
 * library version. A bad item is skipped with a reason and never hides the others.
 */
export function parseCertificateRequests(
  databag: Readonly<Record<string, string>>,
): ParsedRequests {
  const reading = readJsonList(databag, REQUESTS_KEY);
  if (reading.kind === "absent") return { requests: [], problems: [], complete: true };
  if (reading.kind === "invalid") {
    return { requests: [], problems: [reading.problem], complete: false };
  }
  const decoded = reading.items;
  const requests: CertificateRequest[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  if (decoded.length > MAX_REQUESTS_PER_DATABAG) {
    problems.push(
      `${REQUESTS_KEY} holds ${decoded.length} items; only the first ${MAX_REQUESTS_PER_DATABAG} are read`,
    );
  }
  decoded.slice(0, MAX_REQUESTS_PER_DATABAG).forEach((item: unknown, index) => {
    const parsed = z.safeParse(requestItem, item);
    if (!parsed.success) {
      problems.push(`item ${index} is not {certificate_signing_request: string, ca?: boolean}`);
      return;
    }
    const csr = parsed.data.certificate_signing_request.trim();
    if (csr.length === 0) {
      problems.push(`item ${index} has an empty certificate_signing_request`);
      return;
    }
    if (csr.length > MAX_CSR_TEXT_LENGTH) {
      problems.push(`item ${index} is ${csr.length} characters, over ${MAX_CSR_TEXT_LENGTH}`);
      return;
    }
    if (seen.has(csr)) return;
    seen.add(csr);
    requests.push({ csr, isCa: parsed.data.ca === true });
  });
  return { requests, problems, complete: decoded.length <= MAX_REQUESTS_PER_DATABAG };
}
