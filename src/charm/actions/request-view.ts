import type { Action, ResultValue } from "../../juju/index.ts";
import type { PythonJsonValue } from "../../interface/python-json.ts";
import type { LocatedRequest } from "../requests.ts";

/**
 * The shape scripts already parse: the reference charm's `csr` and `relation_id`, with the
 * application, unit and CA flag its 2024 releases also gave.
 */
export function requestView(
  request: LocatedRequest,
  extra: Readonly<Record<string, PythonJsonValue>> = {},
): Record<string, PythonJsonValue> {
  return {
    relation_id: request.relationId,
    application_name: request.applicationName,
    unit_name: request.unitName ?? null,
    csr: request.csr,
    is_ca: request.isCa,
    ...extra,
  };
}

export interface FittedList {
  readonly text: string;
  /** How many items the text holds: all of them, or as many as fit. */
  readonly listed: number;
}

/**
 * The longest prefix of the items that fits in one action result, joined as `join` says; items
 * are made as they are taken, so what is not listed costs nothing. Juju
 * takes a result as one argv element (128 KiB), about a hundred CSRs: rather than fail, the
 * action lists what fits and says how many there are, so the operator signs in batches.
 */
export function fitInOneResult(
  items: Iterable<string>,
  open: string,
  separator: string,
  close: string,
  limitBytes: number,
): FittedList {
  let size = Buffer.byteLength(open) + Buffer.byteLength(close);
  let listed = 0;
  const kept: string[] = [];
  for (const item of items) {
    const added = Buffer.byteLength(item) + (listed > 0 ? Buffer.byteLength(separator) : 0);
    if (size + added > limitBytes) break;
    size += added;
    kept.push(item);
    listed++;
  }
  return { text: open + kept.join(separator) + close, listed };
}

/**
 * Sets a listing's results: `result`, then `extra`; past the result bound also `listed` and
 * `total`, and a log line saying how many of the `what` are shown (`hint` follows it).
 */
export function setFittedResults(
  action: Action,
  fitted: FittedList,
  total: number,
  what: string,
  { extra = {}, hint = "" }: { extra?: Record<string, ResultValue>; hint?: string } = {},
): void {
  if (fitted.listed < total) {
    action.log(
      `listing ${fitted.listed} of ${total} ${what}, as many as one action result holds${hint}`,
    );
    action.setResults({ result: fitted.text, ...extra, listed: fitted.listed, total });
    return;
  }
  action.setResults({ result: fitted.text, ...extra });
}

/** Who asked, as action result keys: the unit, or the application for an app-level request. */
export function requesterResult(
  request: LocatedRequest,
): { "unit-name": string } | { "application-name": string } {
  return request.unitName
    ? { "unit-name": request.unitName }
    : { "application-name": request.applicationName };
}

/** Who asked, as JSON view keys: the unit, or the application for an app-level request. */
export function requesterView(
  request: LocatedRequest,
): { unit_name: string } | { application_name: string } {
  return request.unitName
    ? { unit_name: request.unitName }
    : { application_name: request.applicationName };
}

/** The items, each made only when taken. */
export function* lazily<T, R>(items: readonly T[], make: (item: T) => R): Generator<R> {
  for (const item of items) yield make(item);
}
