export const NON_LEADER_MESSAGE = "Standby: the leader unit serves certificate requests";
export const NO_RELATION_MESSAGE =
  "Waiting for requirers: integrate a charm with the certificates endpoint";

/**
 * How many requests wait for the operator, and how many of them the signing policy would not
 * allow (enforcement warn or refuse): those are refused or warned about when provided.
 */
export function outstandingMessage(count: number, againstPolicy = 0): string {
  if (count === 0) return "No outstanding requests.";
  const noun = count === 1 ? "request" : "requests";
  const policy = againstPolicy > 0 ? ` (${againstPolicy} against the signing policy)` : "";
  return `${count} outstanding ${noun}${policy}, use juju actions to provide certificates`;
}

export function policyRefusedMessage(count: number): string {
  const noun = count === 1 ? "request" : "requests";
  return `${count} ${noun} refused by the signing policy`;
}

/** The status of a relation whose published data is at the size bound. */
export const overBudgetMessage = (label: string): string =>
  `Our data on ${label} is at the 8 MiB bound for one relation; ` +
  "nothing more is written there (see juju debug-log)";

/** Status parts in order, the absent ones left out: "No outstanding requests. 2 requests …". */
export function joinStatus(parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined)
    .reduce(
      (joined, part) =>
        joined === "" ? part : `${joined}${joined.endsWith(".") ? " " : "; "}${part}`,
      "",
    );
}
