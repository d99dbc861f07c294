// A unit's charm state (state-get, state-set, state-delete) as Juju 3.6 keeps it. A context loads
// the whole map on its first state-* call and changes its own copy (runner/context/context.go
// ensureCharmStateLoaded, SetCharmStateValue, DeleteCharmStateValue). At the end of a clean run
// the copy, if changed, goes in the same CommitHookChanges request as the relation settings and
// the controller applies both in one transaction (context.go doFlush,
// apiserver/facades/agent/uniter/uniter.go commitHookChangesForOneUnit); after a non-zero exit
// nothing is sent.
import type { HookContext, State } from "./state.ts";

/** core/quota/fixed_limits.go MaxCharmStateKeySize and MaxCharmStateValueSize. */
export const MAX_CHARM_STATE_KEY_BYTES = 256;
export const MAX_CHARM_STATE_VALUE_BYTES = 64 * 1024;
/** controller/config.go DefaultMaxCharmStateSize, the default of max-charm-state-size. */
export const MAX_CHARM_STATE_BYTES = 2 * 1024 * 1024;

const bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/**
 * core/quota/kv.go CheckTupleSize: the key, then the value, each by Go's len() (UTF-8 bytes).
 * Returns the error text, or null when the pair fits.
 */
export function tupleTooLarge(key: string, value: string): string | null {
  if (bytes(key) > MAX_CHARM_STATE_KEY_BYTES) {
    return `max allowed key length (${MAX_CHARM_STATE_KEY_BYTES}) exceeded`;
  }
  if (bytes(value) > MAX_CHARM_STATE_VALUE_BYTES) {
    return `max allowed value length (${MAX_CHARM_STATE_VALUE_BYTES}) exceeded`;
  }
  return null;
}

/** mongo/utils EscapeKey: MongoDB keys may hold neither "." nor "$", so Juju stores them escaped. */
function escapeKey(key: string): string {
  return key.replaceAll(".", "\uff0e").replaceAll("$", "\uff04");
}

/**
 * The size core/quota/bson.go counts: the map's BSON encoding. A document is a 4-byte length,
 * its elements and a 0 byte; a string element is a type byte, the key and a 0 byte, a 4-byte
 * length, the value and a 0 byte.
 */
function bsonSize(escaped: Record<string, string>): number {
  let total = 5;
  for (const [key, value] of Object.entries(escaped)) total += 7 + bytes(key) + bytes(value);
  return total;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/**
 * Why the controller would refuse the context's charm state, or null. state/unitstate.go
 * (unitSetStateOperation.fields) checks a map that differs from the stored one, with its keys
 * escaped: every key and value against the fixed limits, then the whole map's BSON size against
 * max-charm-state-size, and annotates the error "persisting charm state".
 */
export function charmStateCommitError(state: State, ctx: HookContext): string | null {
  if (!ctx.charmStateDirty || ctx.charmState === null) return null;
  const stored = state.units[ctx.unit]?.charmState ?? {};
  const next = ctx.charmState;
  if (Object.keys(next).length === 0 || sameMap(next, stored)) return null;
  const escaped: Record<string, string> = {};
  for (const [key, value] of Object.entries(next)) escaped[escapeKey(key)] = value;
  for (const [key, value] of Object.entries(escaped)) {
    const problem = tupleTooLarge(key, value);
    if (problem !== null) return `persisting charm state: ${problem}`;
  }
  if (bsonSize(escaped) > MAX_CHARM_STATE_BYTES) {
    return `persisting charm state: max allowed size (${MAX_CHARM_STATE_BYTES}) exceeded`;
  }
  return null;
}

/** The context's charm state replaces the unit's, if the context changed it. */
export function commitCharmState(state: State, ctx: HookContext): void {
  const unit = state.units[ctx.unit];
  if (!unit || !ctx.charmStateDirty || ctx.charmState === null) return;
  unit.charmState = { ...ctx.charmState };
}
