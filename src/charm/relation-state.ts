import type { ProvidedCertificate } from "../interface/provided-certificates.ts";
import { csrIdentity } from "./csr-identity.ts";
import type { IssuedTo } from "./expiry.ts";
import type { Published } from "./provided.ts";
import type { LocatedRequest } from "./requests.ts";

/** One certificates relation as read: what its requirers ask and what we publish there. */
export interface RelationState {
  readonly requests: readonly LocatedRequest[];
  readonly published: Published;
  /** Set when a write this relation needed was refused for its size: the status to show. */
  readonly overBudget?: string;
}

/** Requests with no current (non-revoked) certificate and no refusal, one per CSR. */
export function outstandingRequests({ requests, published }: RelationState): LocatedRequest[] {
  const settled = new Set([
    ...published.certificates
      .filter((entry) => !entry.revoked)
      .map((entry) => csrIdentity(entry.csr)),
    ...published.rejections.map((entry) => csrIdentity(entry.csr)),
  ]);
  const seen = new Set<string>();
  return requests.filter((request) => {
    if (settled.has(request.identity) || seen.has(request.identity)) return false;
    seen.add(request.identity);
    return true;
  });
}

/** Each published certificate with who holds it, for status and inventory. */
export function issuedTo({ requests, published }: RelationState): (IssuedTo & {
  request: LocatedRequest | undefined;
})[] {
  const byIdentity = new Map(requests.map((request) => [request.identity, request]));
  return published.certificates.map((certificate: ProvidedCertificate) => {
    const request = byIdentity.get(csrIdentity(certificate.csr));
    const holder = request?.unitName ?? request?.applicationName ?? "an unknown requirer";
    return { certificate, holder, request };
  });
}
