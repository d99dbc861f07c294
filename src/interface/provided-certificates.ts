import * as z from "zod/mini";
import { readJsonList } from "./json-value.ts";
import { pythonJsonDumps } from "./python-json.ts";

/** One entry of our `certificates` list: the answer to one CSR. */
export interface ProvidedCertificate {
  /** The requirer's CSR text exactly as it wrote it, trimmed: every library matches on it. */
  readonly csr: string;
  readonly certificate: string;
  readonly ca: string;
  /** Leaf first, ending at the CA; never empty. */
  readonly chain: readonly string[];
  readonly revoked: boolean;
}

export const CERTIFICATES_KEY = "certificates";

const storedEntry = z.object({
  ca: z.string(),
  certificate_signing_request: z.string(),
  certificate: z.string(),
  chain: z.optional(z.nullable(z.array(z.string()))),
  revoked: z.optional(z.nullable(z.boolean())),
});

export interface ParsedCertificates {
  readonly certificates: readonly ProvidedCertificate[];
  readonly problems: readonly string[];
}

/** Reads our own `certificates` list, keeping every entry that every requirer can read. */
export function parseProvidedCertificates(
  databag: Readonly<Record<string, string>>,
): ParsedCertificates {
  const reading = readJsonList(databag, CERTIFICATES_KEY);
  if (reading.kind === "absent") return { certificates: [], problems: [] };
  if (reading.kind === "invalid") return { certificates: [], problems: [reading.problem] };
  const decoded = reading.items;
  const certificates: ProvidedCertificate[] = [];
  const problems: string[] = [];
  decoded.forEach((item: unknown, index) => {
    const parsed = z.safeParse(storedEntry, item);
    if (!parsed.success) {
      problems.push(`entry ${index} lacks ca, certificate_signing_request or certificate`);
      return;
    }
    const entry = parsed.data;
    const certificate = entry.certificate.trim();
    const ca = entry.ca.trim();
    certificates.push({
      csr: entry.certificate_signing_request.trim(),
      certificate,
      ca,
      chain: entry.chain?.map((pem) => pem.trim()) ?? [certificate, ca],
      revoked: entry.revoked === true,
    });
  });
  return { certificates, problems };
}

/**
 * The `certificates` value every requirer version accepts: v4 key order, PEMs trimmed, `chain`
 * always a list, `revoked` only when true, and `[]` rather than a missing key for v1-v3 schemas.
 */
export function serializeProvidedCertificates(
  certificates: readonly ProvidedCertificate[],
): string {
  return pythonJsonDumps(
    certificates.map((entry) => ({
      ca: entry.ca.trim(),
      certificate_signing_request: entry.csr.trim(),
      certificate: entry.certificate.trim(),
      chain: entry.chain.map((pem) => pem.trim()),
      ...(entry.revoked ? { revoked: true } : {}),
    })),
  );
}
