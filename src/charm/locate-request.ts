import { ActionFailure, type Logger, type Relation } from "../juju/index.ts";
import { readRelationRequests, type LocatedRequest } from "./requests.ts";

export interface RequestLocation {
  readonly relation: Relation;
  readonly request: LocatedRequest;
}

/**
 * Finds where a requirer asked for this CSR. With a unit name only that unit's databag is read,
 * so providing one certificate does not cost a read of every requirer.
 */
export function locateRequest(
  relations: readonly Relation[],
  identity: string,
  unitName: string | undefined,
  log: Logger,
): RequestLocation {
  const matches: RequestLocation[] = [];
  for (const relation of relations) {
    if (unitName !== undefined && relation.remoteApp !== unitName.split("/")[0]) continue;
    const { requests } = readRelationRequests(
      relation,
      log,
      unitName === undefined ? {} : { unit: unitName },
    );
    for (const request of requests) {
      if (request.identity === identity) matches.push({ relation, request });
    }
  }
  const [first] = matches;
  if (!first) throw new ActionFailure(notFoundMessage(relations, unitName));
  const relationIds = [...new Set(matches.map((match) => match.relation.id))];
  if (relationIds.length > 1) {
    throw new ActionFailure(
      `certificate-signing-request: the same CSR is requested on relations ` +
        `${relationIds.join(" and ")}; pass relation-id to choose one`,
    );
  }
  return first;
}

function notFoundMessage(relations: readonly Relation[], unitName: string | undefined): string {
  const where =
    relations.length === 1 ? `relation ${relations[0]?.id}` : "any certificates relation";
  if (unitName === undefined) {
    return (
      `certificate-signing-request: no requirer asks for this CSR in ${where}; ` +
      `it may have been renewed or withdrawn (see get-outstanding-certificate-requests)`
    );
  }
  const unitKnown = relations.some((relation) => {
    return relation.remoteApp === unitName.split("/")[0] && relation.units.includes(unitName);
  });
  return unitKnown
    ? `certificate-signing-request: unit ${unitName} does not ask for this CSR in ${where}`
    : `unit-name: ${unitName} is not a unit of a requirer in ${where}`;
}
