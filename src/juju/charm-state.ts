import { ModelAccessError } from "./errors.ts";
import type { HookTools } from "./hook-tools.ts";

// Juju's fixed limits on one charm-state entry (core/quota/fixed_limits.go,
// MaxCharmStateKeySize and MaxCharmStateValueSize), in bytes as Go's len() counts them. state-set
// refuses a larger one at once (runner/context/context.go SetCharmStateValue, quota.CheckTupleSize);
// checking here names the key instead of failing the whole hook on a tool error.
export const MAX_STATE_KEY_BYTES = 256;
export const MAX_STATE_VALUE_BYTES = 65_536;

/** An entry Juju would refuse: the charm decides what to keep instead. */
export class CharmStateLimitError extends ModelAccessError {
  constructor(message: string) {
    super(message);
    this.name = "CharmStateLimitError";
  }
}

/**
 * The unit's charm state (state-get, state-set, state-delete): a map of strings that Juju keeps
 * for the unit and applies in the same transaction as the hook's relation settings, and only when
 * the hook succeeds (runner/context/context.go, Flush). Read whole on first use, as the agent
 * loads it whole on a context's first state-* call; writes are kept here and sent by commit().
 */
export class CharmState {
  private snapshot: Readonly<Record<string, string>> | undefined;
  /** A value to set, or undefined to delete. */
  private readonly changes = new Map<string, string | undefined>();

  constructor(private readonly tools: HookTools) {}

  get(key: string): string | undefined {
    if (this.changes.has(key)) return this.changes.get(key);
    return this.read()[key];
  }

  /** Every key as it will be after this dispatch's writes. */
  keys(): string[] {
    const keys = new Set(Object.keys(this.read()));
    for (const [key, value] of this.changes) {
      if (value === undefined) keys.delete(key);
      else keys.add(key);
    }
    return [...keys];
  }

  set(key: string, value: string): void {
    const keyBytes = Buffer.byteLength(key, "utf8");
    if (keyBytes === 0) throw new CharmStateLimitError("a charm state key cannot be empty");
    if (keyBytes > MAX_STATE_KEY_BYTES) {
      throw new CharmStateLimitError(
        `charm state key of ${keyBytes} bytes: Juju takes at most ${MAX_STATE_KEY_BYTES}`,
      );
    }
    const valueBytes = Buffer.byteLength(value, "utf8");
    if (valueBytes > MAX_STATE_VALUE_BYTES) {
      throw new CharmStateLimitError(
        `charm state value of ${valueBytes} bytes for ${key}: Juju takes at most ` +
          `${MAX_STATE_VALUE_BYTES}`,
      );
    }
    if (this.read()[key] === value) this.changes.delete(key);
    else this.changes.set(key, value);
  }

  delete(key: string): void {
    if (key in this.read()) this.changes.set(key, undefined);
    else this.changes.delete(key);
  }

  /** Sends what changed: one state-set for every value set, one state-delete per key removed. */
  commit(): void {
    if (this.changes.size === 0) return;
    const set: Record<string, string> = {};
    const deleted: string[] = [];
    for (const [key, value] of this.changes) {
      if (value === undefined) deleted.push(key);
      else set[key] = value;
    }
    if (Object.keys(set).length > 0) this.tools.stateSet(set);
    for (const key of deleted) this.tools.stateDelete(key);
    this.snapshot = Object.fromEntries(this.keys().map((key) => [key, this.get(key)!]));
    this.changes.clear();
  }

  private read(): Readonly<Record<string, string>> {
    this.snapshot ??= this.tools.stateGet();
    return this.snapshot;
  }
}
