/**
 * What the leader's status needs of one certificates relation, and nothing else: it is kept
 * between hooks, so that a hook of one relation, or update-status, need not read the others.
 */
export interface RelationSummary {
  /** Requests with no current certificate and no refusal. */
  readonly outstanding: number;
  /** Of those, the ones the signing policy would not allow (enforcement warn or refuse). */
  readonly violating: number;
  /** Refusals the signing policy published (enforcement reject). */
  readonly refused: number;
  /** A write this relation needed was refused for its size. */
  readonly overBudget: boolean;
  /** Each current certificate's notAfter (seconds since the epoch) and holder, soonest first. */
  readonly expiries: readonly (readonly [notAfter: number, holder: string])[];
}

/** The summary as kept in charm state. */
export function serializeSummary(summary: RelationSummary): string {
  return JSON.stringify({
    outstanding: summary.outstanding,
    violating: summary.violating,
    refused: summary.refused,
    "over-budget": summary.overBudget,
    expiries: summary.expiries,
  });
}

/**
 * A kept summary, or undefined when the text is not one (then the relation is read again).
 * Checked by hand: update-status reads one per relation, and a schema library costs a hundred
 * times JSON.parse on these.
 */
export function parseSummary(text: string): RelationSummary | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const { outstanding, violating, refused, expiries } = raw as Record<string, unknown>;
  const overBudget = (raw as Record<string, unknown>)["over-budget"];
  if (!isCount(outstanding) || !isCount(violating) || !isCount(refused)) return undefined;
  if (typeof overBudget !== "boolean" || !Array.isArray(expiries)) return undefined;
  const valid = expiries.every(
    (entry: unknown) =>
      Array.isArray(entry) &&
      entry.length === 2 &&
      Number.isSafeInteger(entry[0]) &&
      typeof entry[1] === "string",
  );
  if (!valid) return undefined;
  return {
    outstanding,
    violating,
    refused,
    overBudget,
    expiries: expiries as [number, string][],
  };
}

const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;
