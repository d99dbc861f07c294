export const NON_LEADER_MESSAGE = "Standby: the leader unit serves certificate requests";
export const NO_RELATION_MESSAGE =
  "Waiting for requirers: integrate a charm with the certificates endpoint";

export function outstandingMessage(count: number): string {
  if (count === 0) return "No outstanding requests.";
  const noun = count === 1 ? "request" : "requests";
  return `${count} outstanding ${noun}, use juju actions to provide certificates`;
}
