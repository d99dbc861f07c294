import { pythonJsonDumps, type PythonJsonValue } from "../../interface/python-json.ts";
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

export function requestsResult(views: readonly Record<string, PythonJsonValue>[]): string {
  return pythonJsonDumps(views);
}
