import type { Logger, Relation } from "../../juju/index.ts";
import { csrPublicKeyDer } from "../../x509/csr-check.ts";
import type { RelationState } from "../reconcile.ts";
import type { LocatedRequest } from "../requests.ts";

export interface KeyedRequest {
  readonly relation: Relation;
  readonly request: LocatedRequest;
}

/**
 * Every request of these relations under its CSR's public key (SPKI DER, base64): how a signed
 * certificate finds the request it answers without the operator naming the CSR. The same CSR
 * twice on one relation is one request (one answer serves both databags); a key under more
 * than one request stays ambiguous.
 */
export function findRequestsByKey(
  states: ReadonlyMap<Relation, RelationState>,
  log: Logger,
): Map<string, KeyedRequest[]> {
  const byKey = new Map<string, KeyedRequest[]>();
  const seen = new Set<string>();
  for (const [relation, { requests }] of states) {
    for (const request of requests) {
      const once = `${relation.id}\n${request.identity}`;
      if (seen.has(once)) continue;
      seen.add(once);
      let key: string;
      try {
        key = csrPublicKeyDer(request.csr).toString("base64");
      } catch {
        // The hooks' check let it through, so this is rare; it cannot be answered by key.
        log.warning(`a request on ${relation.label} has a public key that cannot be read`);
        continue;
      }
      const list = byKey.get(key) ?? [];
      list.push({ relation, request });
      byKey.set(key, list);
    }
  }
  return byKey;
}
