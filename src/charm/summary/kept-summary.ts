import * as z from "zod/mini";
import type { CharmState, Logger } from "../../juju/index.ts";
import { parseSummary, serializeSummary, type RelationSummary } from "./relation-summary.ts";

// The summary lives in the unit's charm state, one key per certificates relation and one for
// what the whole was built under. Juju commits charm state with the relation data in one
// transaction, and neither when the hook fails (internal/worker/uniter/runner/context/context.go,
// Flush; apiserver/facades/agent/uniter/uniter.go, CommitHookChanges), so an entry is never
// ahead of or behind the data it describes. Files in the charm directory would not do: on
// Kubernetes it is an emptyDir, lost when the pod moves.

/** Bumped whenever what an entry holds, or how it is computed, changes. */
export const SUMMARY_VERSION = 1;
const META_KEY = "summary";
const ENTRY_PREFIX = "summary/certificates:";

// Our own budget, well inside Juju's: 64 KiB a value (core/quota/fixed_limits.go) and 2 MiB for
// the unit's whole state by default (controller/config.go, max-charm-state-size), checked at
// commit, where an overrun fails the hook.
export const MAX_ENTRY_BYTES = 60 * 1024;
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/** The longest the summary is trusted before update-status looks at every relation again. */
export const FULL_LOOK_INTERVAL_MS = 60 * 60 * 1000;

/** What the summary was built under; a summary built under anything else is not trusted. */
export interface SummaryBasis {
  /** The leader keeps entries; a standby keeps none. */
  readonly role: "leader" | "standby";
  /** Names the signing policy text the entries were judged under. */
  readonly policy: string;
}

const metaSchema = z.object({
  version: z.int(),
  role: z.enum(["leader", "standby"]),
  policy: z.string(),
  "full-look": z.number(),
});

export class KeptSummary {
  private constructor(
    private readonly state: CharmState,
    private readonly log: Logger,
    /** When the last full look ran, or undefined when the summary is not to be trusted. */
    private readonly fullLookAt: number | undefined,
  ) {}

  /** The unit's summary, trusted only when built under this basis by this version. */
  static open(state: CharmState, basis: SummaryBasis, log: Logger): KeptSummary {
    return new KeptSummary(state, log, trustedSince(state.get(META_KEY), basis));
  }

  get trusted(): boolean {
    return this.fullLookAt !== undefined;
  }

  /** Untrusted, or trusted for an hour already (or since a time ahead of the clock). */
  fullLookDue(now: number): boolean {
    if (this.fullLookAt === undefined) return true;
    return now - this.fullLookAt >= FULL_LOOK_INTERVAL_MS || this.fullLookAt > now;
  }

  /** The kept summary of a relation; undefined when there is none to trust. */
  get(relationId: number): RelationSummary | undefined {
    if (!this.trusted) return undefined;
    const text = this.state.get(entryKey(relationId));
    return text === undefined ? undefined : parseSummary(text);
  }

  /**
   * Keeps a relation's summary; one that would not fit the budget is not kept, so the relation
   * is read on every hook instead. Only for a trusted summary: an untrusted one is rebuilt whole.
   */
  put(relationId: number, summary: RelationSummary): void {
    if (!this.trusted) return;
    this.write(relationId, serializeSummary(summary), this.bytesWithout(relationId));
  }

  /** Forgets a relation's summary, so that the next hook reads the relation again. */
  forget(relationId: number): void {
    this.state.delete(entryKey(relationId));
  }

  /** Forgets the relations that are gone. */
  keepOnly(relationIds: readonly number[]): void {
    const live = new Set(relationIds.map(entryKey));
    for (const key of this.entryKeys()) if (!live.has(key)) this.state.delete(key);
  }

  /** Replaces the whole summary with what a look at every relation found, as of now. */
  rebuild(basis: SummaryBasis, summaries: ReadonlyMap<number, RelationSummary>, now: number): void {
    const meta = { version: SUMMARY_VERSION, ...basis, "full-look": now };
    this.state.set(META_KEY, JSON.stringify(meta));
    this.keepOnly([...summaries.keys()]);
    let used = byteLength(META_KEY) + byteLength(JSON.stringify(meta));
    for (const [relationId, summary] of [...summaries].sort(([a], [b]) => a - b)) {
      used = this.write(relationId, serializeSummary(summary), used);
    }
  }

  /** Writes the entry if it fits with `used` bytes already taken; returns the bytes then taken. */
  private write(relationId: number, value: string, used: number): number {
    const key = entryKey(relationId);
    const bytes = byteLength(key) + byteLength(value);
    const problem =
      bytes > MAX_ENTRY_BYTES
        ? `it takes ${bytes} bytes, over the ${MAX_ENTRY_BYTES} kept for one relation`
        : used + bytes > MAX_SUMMARY_BYTES
          ? `the summary would pass the ${MAX_SUMMARY_BYTES} bytes kept for all relations`
          : undefined;
    if (problem === undefined) {
      this.state.set(key, value);
      return used + bytes;
    }
    this.state.delete(key);
    this.log.debug(
      `not keeping a summary of certificates:${relationId}: ${problem}; ` +
        "the relation is read on every hook instead",
    );
    return used;
  }

  private entryKeys(): string[] {
    return this.state.keys().filter((key) => key.startsWith(ENTRY_PREFIX));
  }

  /** Bytes the summary takes in charm state, leaving out one relation's entry. */
  private bytesWithout(relationId: number): number {
    const skipped = entryKey(relationId);
    let total = 0;
    for (const key of [META_KEY, ...this.entryKeys()]) {
      if (key === skipped) continue;
      total += byteLength(key) + byteLength(this.state.get(key) ?? "");
    }
    return total;
  }
}

const entryKey = (relationId: number): string => `${ENTRY_PREFIX}${relationId}`;
const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");

function trustedSince(text: string | undefined, basis: SummaryBasis): number | undefined {
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const meta = parsed.data;
  const same =
    meta.version === SUMMARY_VERSION && meta.role === basis.role && meta.policy === basis.policy;
  return same ? meta["full-look"] : undefined;
}
