import type { PythonJsonValue } from "../../interface/python-json.ts";
import type { Violation } from "../../policy/policy.ts";
import type { LocatedRequest } from "../requests.ts";
import type { PolicyState } from "../policy/signing-policy.ts";

// How the listings show the signing policy's verdict on each request or certificate: a `policy`
// field in JSON (null with no policy) and, with a policy set, a POLICY column in text.

export interface PolicyVerdicts<T> {
  /** `null`, `{"allowed": true}`, `{"allowed": false, "violations": [...]}` or `{"error": ...}`. */
  field(item: T): PythonJsonValue;
  /**
   * The POLICY column: "ok", the first violation ("…; and 2 more" when there are others), or
   * "error"; undefined with no policy.
   */
  readonly cell: ((item: T) => string) | undefined;
}

/** The verdicts on requests, for the two request listings. */
export const requestVerdicts = (state: PolicyState): PolicyVerdicts<LocatedRequest> =>
  policyVerdicts(state, (request: LocatedRequest) =>
    state.kind === "valid" ? state.judge.request(request) : [],
  );

export function policyVerdicts<T>(
  state: PolicyState,
  judge: (item: T) => readonly Violation[],
): PolicyVerdicts<T> {
  switch (state.kind) {
    case "none":
      return { field: () => null, cell: undefined };
    case "invalid":
      return { field: () => ({ error: state.problem }), cell: () => "error" };
    case "valid": {
      const verdict = (item: T): readonly Violation[] => judge(item);
      return {
        field: (item) => {
          const violations = verdict(item);
          return violations.length === 0
            ? { allowed: true }
            : { allowed: false, violations: violations.map((v) => v.message) };
        },
        cell: (item) => {
          const [first, ...others] = verdict(item);
          if (first === undefined) return "ok";
          return others.length === 0
            ? first.message
            : `${first.message}; and ${others.length} more`;
        },
      };
    }
  }
}
