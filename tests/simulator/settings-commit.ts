// The size check Juju makes when it commits a hook's relation settings. Juju 4 keeps settings in
// Dqlite rows with no natural limit, so it sums each settings map's keys and values when it
// recomputes the map's hash at commit and fails the transaction past 16 MiB (juju/juju PR
// #22664, "limit size of charm config and relation settings"); Juju 3.6 keeps each map as one
// MongoDB document and fails at the 16 MiB BSON limit. Either way the hook fails (an action is
// failed), nothing it wrote is kept, and every retry fails again. The error text here is the
// simulator's own.
import { appOf, unitRelation } from "./model.ts";
import type { HookContext, State } from "./state.ts";

export const MAX_SETTINGS_BYTES = 16 * 1024 * 1024;

/** Keys and values as UTF-8 bytes: Go's len() of each string. */
export function settingsBytes(settings: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(settings)) {
    total += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
  }
  return total;
}

/**
 * Why the commit of the context's relation writes would fail: one of them would leave a settings
 * map over the limit. Null when it can be committed.
 */
export function oversizedSettings(state: State, ctx: HookContext): string | null {
  for (const [id, pending] of Object.entries(ctx.pending)) {
    const relation = unitRelation(state, ctx.unit, Number(id));
    if (!relation) continue;
    for (const application of [false, true]) {
      const owner = application ? appOf(ctx.unit) : ctx.unit;
      const committed = (application ? relation.appData : relation.unitData)[owner] ?? {};
      const merged: Record<string, string> = { ...committed };
      for (const [key, value] of Object.entries(application ? pending.app : pending.unit)) {
        if (value === "") delete merged[key];
        else merged[key] = value;
      }
      const bytes = settingsBytes(merged);
      if (bytes <= MAX_SETTINGS_BYTES) continue;
      return (
        `cannot commit relation ${relation.id} settings of ${owner}: ` +
        `${bytes} bytes of keys and values, over the 16 MiB limit`
      );
    }
  }
  return null;
}
