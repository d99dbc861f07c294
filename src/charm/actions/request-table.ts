import type { LocatedRequest } from "../requests.ts";
import type { FittedList } from "./request-view.ts";
import type { RequestDetails } from "./request-details.ts";
import { fitTable } from "./text-table.ts";

// The request listings' `format=text`: one line per request and a count. With a signing policy
// set, the policy's verdict comes last, where a whole violation has room.

export interface RequestRow {
  readonly request: LocatedRequest;
  readonly details: RequestDetails;
  /** get-certificate-request's state column: "certificate", "rejected" and the like. */
  readonly state?: string;
  /** The signing policy's verdict: "ok", the first violation, or "error"; no column without a policy. */
  readonly policy?: string;
}

function cells({ request, details, state, policy }: RequestRow): string[] {
  const renews =
    details.renews === null
      ? "-"
      : `${details.renews.serial} (until ${details.renews.not_after.slice(0, 10)})`;
  return [
    String(request.relationId),
    request.unitName ?? `${request.applicationName} (app)`,
    ...(state === undefined ? [] : [state]),
    details.key ?? "?",
    request.isCa ? "yes" : "no",
    renews,
    details.subject ?? "?",
    details.sans.length === 0 ? "-" : details.sans.join(", "),
    ...(policy === undefined ? [] : [policy]),
  ];
}

function header(withState: boolean, withPolicy: boolean): string[] {
  return [
    "RELATION",
    "UNIT/APP",
    ...(withState ? ["STATE"] : []),
    "KEY",
    "CA",
    "RENEWS",
    "SUBJECT",
    "SANS",
    ...(withPolicy ? ["POLICY"] : []),
  ];
}

/**
 * As many rows as fit in `limitBytes` with the header and the count line; `total` is how many
 * requests there are, for the count.
 */
export function fitRequestTable(
  rows: Iterable<RequestRow>,
  total: number,
  withState: boolean,
  limitBytes: number,
  withPolicy: boolean = false,
): FittedList {
  function* lines(): Generator<string[]> {
    for (const row of rows) yield cells(row);
  }
  return fitTable(header(withState, withPolicy), lines(), total, limitBytes, {
    one: "request",
    many: "requests",
  });
}
