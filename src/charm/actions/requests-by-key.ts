import type { Logger, Relation } from "../../juju/index.ts";
import { csrSubjectPublicKeyInfo } from "../../x509/csr-check.ts";
import { normalizedSpki } from "../../x509/keys.ts";
import type { RelationState } from "../relation-state.ts";
import type { LocatedRequest } from "../requests.ts";

export interface KeyedRequest {
  readonly relation: Relation;
  readonly request: LocatedRequest;
}

/** The requests whose CSR holds this public key (a SubjectPublicKeyInfo as encoded). */
export type RequestsByKey = (subjectPublicKeyInfo: Buffer) => readonly KeyedRequest[];

/**
 * Every request of these relations under its CSR's public key: how a signed certificate finds
 * the request it answers without the operator naming the CSR. The same CSR twice on one
 * relation is one request (one answer serves both databags); a key under more than one request
 * stays ambiguous. CAs copy the CSR's key encoding, so keys are compared as encoded; only a
 * certificate that matches nothing pays for comparing keys as node exports them.
 */
export function findRequestsByKey(
  states: ReadonlyMap<Relation, RelationState>,
  log: Logger,
): RequestsByKey {
  const keyed: { spki: Buffer; entry: KeyedRequest }[] = [];
  const seen = new Set<string>();
  for (const [relation, { requests }] of states) {
    for (const request of requests) {
      const once = `${relation.id}\n${request.identity}`;
      if (seen.has(once)) continue;
      seen.add(once);
      try {
        keyed.push({ spki: csrSubjectPublicKeyInfo(request.csr), entry: { relation, request } });
      } catch {
        // The hooks' check let it through, so this is rare; it cannot be answered by key.
        log.warning(`a request on ${relation.label} has a public key that cannot be read`);
      }
    }
  }
  const index = (key: (spki: Buffer) => Buffer): Map<string, KeyedRequest[]> => {
    const map = new Map<string, KeyedRequest[]>();
    for (const { spki, entry } of keyed) {
      let name: string;
      try {
        name = key(spki).toString("base64");
      } catch {
        continue;
      }
      const list = map.get(name) ?? [];
      list.push(entry);
      map.set(name, list);
    }
    return map;
  };
  const asEncoded = index((spki) => spki);
  let normalized: Map<string, KeyedRequest[]> | undefined;
  return (spki) => {
    const found = asEncoded.get(spki.toString("base64"));
    if (found !== undefined) return found;
    normalized ??= index(normalizedSpki);
    try {
      return normalized.get(normalizedSpki(spki).toString("base64")) ?? [];
    } catch {
      return [];
    }
  };
}
