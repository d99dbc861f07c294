import { createHash } from "node:crypto";
import * as z from "zod/mini";
import type { Relation } from "../../juju/index.ts";
import { pythonJsonDumps } from "../../interface/python-json.ts";
import { csrIdentity } from "../csr-identity.ts";
import type { LocatedRequest } from "../requests.ts";

// Which names we issued certificates for, per requirer, so a listing can tell a renewal from a
// name never signed before. The old certificate cannot tell: a requirer renews by replacing its
// CSR (charmlibs `_renew_certificate_request` removes the old CSR and adds the new one in one
// hook), and reconcile drops the answer to the old CSR on the relation-changed that follows. Written by the provide
// actions into our application databag under a key no requirer library reads (v1-v3 schemas
// allow extra keys; v4 and charmlibs load only their fields); hooks never parse it.

export const ISSUED_NAMES_KEY = "issued_names";

/** At most this many records per relation; the oldest expiry goes first. */
const MAX_RECORDS = 20_000;

export interface IssuedName {
  /** The unit that asked, or the application for an app-level request. */
  readonly holder: string;
  /** Digest of the subject without x500UniqueIdentifier and of the sorted SANs. */
  readonly name: string;
  /** Digest of the CSR answered, so a request is never its own renewal. */
  readonly csr: string;
  readonly serial: string;
  readonly not_after: string;
}

const record = z.object({
  holder: z.string(),
  name: z.string(),
  csr: z.string(),
  serial: z.string(),
  not_after: z.string(),
});

const digest = (text: string): string =>
  createHash("sha256").update(text).digest("hex").slice(0, 32);

/** What stays the same when a requirer renews: its subject (less the fresh UUID) and SANs. */
export function nameDigest(names: {
  readonly renewalSubject: string;
  readonly sans: readonly string[];
}): string {
  return digest(`${names.renewalSubject}\n${[...names.sans].sort().join("\n")}`);
}

export const csrDigest = (csr: string): string => digest(csrIdentity(csr));

export const holderOf = (request: LocatedRequest): string =>
  request.unitName ?? request.applicationName;

/** The records of one relation; anything unreadable is skipped, it only serves listings. */
export function readIssuedNames(relation: Relation): IssuedName[] {
  const raw = relation.localAppData.get(ISSUED_NAMES_KEY);
  if (raw === undefined || raw === "") return [];
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(decoded)) return [];
  return decoded.flatMap((item) => {
    const parsed = z.safeParse(record, item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The value to store: these records added, one per holder and name, the latest kept. */
export function issuedNamesValue(
  earlier: readonly IssuedName[],
  added: readonly IssuedName[],
): string {
  const byName = new Map<string, IssuedName>();
  for (const entry of [...earlier, ...added]) byName.set(`${entry.holder}\n${entry.name}`, entry);
  const kept = [...byName.values()]
    .sort((a, b) => b.not_after.localeCompare(a.not_after))
    .slice(0, MAX_RECORDS);
  return pythonJsonDumps(kept.map((entry) => ({ ...entry })));
}

/** The certificate this request would renew: the latest issued to its holder for its names. */
export function renewedBy(
  records: readonly IssuedName[],
  request: LocatedRequest,
  name: string,
): IssuedName | undefined {
  const holder = holderOf(request);
  const own = csrDigest(request.csr);
  let latest: IssuedName | undefined;
  for (const entry of records) {
    if (entry.holder !== holder || entry.name !== name || entry.csr === own) continue;
    if (latest === undefined || entry.not_after > latest.not_after) latest = entry;
  }
  return latest;
}

export interface Issue {
  readonly request: LocatedRequest;
  /** The request's names, from its CSR. */
  readonly names: { readonly renewalSubject: string; readonly sans: readonly string[] };
  readonly certificate: { readonly serialNumber: string; readonly notAfter: Date };
}

/** Remembers what these certificates were issued for; written with the relation's next write. */
export function recordIssued(relation: Relation, issues: readonly Issue[]): void {
  const added = issues.map(({ request, names, certificate }) => ({
    holder: holderOf(request),
    name: nameDigest(names),
    csr: csrDigest(request.csr),
    serial: certificate.serialNumber,
    not_after: certificate.notAfter.toISOString(),
  }));
  relation.localAppData.set(ISSUED_NAMES_KEY, issuedNamesValue(readIssuedNames(relation), added));
}
