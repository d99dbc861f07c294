import { POLICY_REASON, type RequestError } from "../interface/request-errors.ts";
import type { Published } from "./provided.ts";
import type { LocatedRequest } from "./requests.ts";

/**
 * The refusals a relation should carry, given its requests and what else it holds. The
 * operator's own refusals are always kept as they are; the signing policy's are its to change.
 */
export type Refusals = (
  requests: readonly LocatedRequest[],
  published: Published,
) => RequestError[];

/** No policy, or one that does not reject: any refusal the policy made earlier is withdrawn. */
export const operatorRefusalsOnly: Refusals = (_, published) =>
  published.rejections.filter((entry) => entry.reason !== POLICY_REASON);

/** An invalid policy changes nothing already published. */
export const keepRefusals: Refusals = (_, published) => published.rejections;
