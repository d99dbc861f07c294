import type { LocatedRequest } from "../requests.ts";
import type { FittedList } from "./request-view.ts";
import type { RequestDetails } from "./request-details.ts";

// The listings' `format=text`: one line per request, columns aligned, a count at the end. Rows
// are made as they are needed, so a listing past the result bound reads only what it shows.

const GAP = "  ";
/** Room kept for the count line. */
const FOOTER_ROOM = 200;

export interface RequestRow {
  readonly request: LocatedRequest;
  readonly details: RequestDetails;
  /** get-certificate-request's state column: "certificate", "rejected" or "outstanding". */
  readonly state?: string;
  /** The signing policy's verdict: "ok", a count of violations or "error"; no column without a policy. */
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
    ...(policy === undefined ? [] : [policy]),
    details.key ?? "?",
    request.isCa ? "yes" : "no",
    renews,
    details.subject ?? "?",
    details.sans.length === 0 ? "-" : details.sans.join(", "),
  ];
}

function header(withState: boolean, withPolicy: boolean): string[] {
  return [
    "RELATION",
    "UNIT/APP",
    ...(withState ? ["STATE"] : []),
    ...(withPolicy ? ["POLICY"] : []),
    "KEY",
    "CA",
    "RENEWS",
    "SUBJECT",
    "SANS",
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
  const table = [header(withState, withPolicy)];
  const last = table[0]!.length - 1;
  // Widths in bytes bound the padded size from above (padding counts characters).
  const widths = table[0]!.map((cell) => Buffer.byteLength(cell));
  let lastColumnBytes = widths[last]!;
  const size = (): number => {
    const padded = widths.slice(0, last).reduce((sum, width) => sum + width + GAP.length, 0);
    return table.length * (padded + 1) + lastColumnBytes + FOOTER_ROOM;
  };
  for (const row of rows) {
    const line = cells(row);
    const before = [...widths];
    line.forEach((cell, i) => {
      if (i < last) widths[i] = Math.max(widths[i]!, Buffer.byteLength(cell));
    });
    const lastBefore = lastColumnBytes;
    lastColumnBytes += Buffer.byteLength(line[last]!);
    table.push(line);
    if (size() > limitBytes) {
      table.pop();
      widths.splice(0, widths.length, ...before);
      lastColumnBytes = lastBefore;
      break;
    }
  }
  const listed = table.length - 1;
  const charWidths = table[0]!.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const lines = table.map((line) =>
    line
      .map((cell, i) => (i < last ? cell.padEnd(charWidths[i]!) : cell))
      .join(GAP)
      .trimEnd(),
  );
  const noun = total === 1 ? "request" : "requests";
  lines.push(listed < total ? `listing ${listed} of ${total} ${noun}` : `${total} ${noun}`);
  return { text: lines.join("\n"), listed };
}
