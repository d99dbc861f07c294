import type { Relation } from "../../juju/index.ts";
import type { PythonJsonValue } from "../../interface/python-json.ts";
import { describeCsr } from "../../x509/csr.ts";
import type { LocatedRequest } from "../requests.ts";
import { nameDigest, readIssuedNames, renewedBy, type IssuedName } from "./issued-names.ts";

// What each CSR asks for, read by us so the operator need not open it with openssl. Only the
// listing actions load this (and the ASN.1 library under it); hooks never do.

export interface RequestDetails {
  /** RFC 4514 text; null when the CSR cannot be read this far. */
  readonly subject: string | null;
  /** Typed entries: "DNS:…", "IP:…", "email:…", "URI:…". */
  readonly sans: readonly string[];
  /** "RSA 2048", "EC P-256", "Ed25519". */
  readonly key: string | null;
  /** The certificate this request would renew: the latest we issued its holder for its names. */
  readonly renews: { readonly serial: string; readonly not_after: string } | null;
}

/** Details of requests, reading each relation's record of issued names once. */
export function requestDetailer(
  relations: readonly Relation[],
): (request: LocatedRequest) => RequestDetails {
  const records = new Map<number, IssuedName[]>();
  const recordsOf = (relationId: number): IssuedName[] => {
    let found = records.get(relationId);
    if (found === undefined) {
      const relation = relations.find((candidate) => candidate.id === relationId);
      found = relation === undefined ? [] : readIssuedNames(relation);
      records.set(relationId, found);
    }
    return found;
  };
  return (request) => {
    let description: ReturnType<typeof describeCsr>;
    try {
      description = describeCsr(request.csr);
    } catch {
      return { subject: null, sans: [], key: null, renews: null };
    }
    const renewed = renewedBy(recordsOf(request.relationId), request, nameDigest(description));
    return {
      subject: description.subject,
      sans: description.sans,
      key: description.keyDescription,
      renews:
        renewed === undefined ? null : { serial: renewed.serial, not_after: renewed.not_after },
    };
  };
}

/** The details as fields of a request's JSON view. */
export function detailFields(details: RequestDetails): Record<string, PythonJsonValue> {
  return {
    subject: details.subject,
    sans: [...details.sans],
    key: details.key,
    renews: details.renews === null ? null : { ...details.renews },
  };
}
