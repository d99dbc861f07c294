// The unit agent's cache of remote unit settings. Juju's context factory keeps one RelationCache
// per relation for the life of the agent and hands it to every hook and action context
// (internal/worker/uniter/runner/context/contextfactory.go getContextRelations, cache.go). A
// member's settings, once read, are served from it until that member's own -joined or -changed
// runs (InvalidateMember), it departs (RemoveMember), or it is no longer among the members the
// unit has recorded (Prune). Everything else (application bags, our own bags, units that are not
// members) is read from the controller afresh in each context.
import type { HookContext, RelationView, State } from "./state.ts";

/**
 * What a new context does to the caches (contextfactory.go coreContext and HookContext): prune
 * every relation's cache to the members the unit has recorded, then forget the hook's remote
 * unit, whose settings the hook is about.
 */
export function prepareRelationCaches(state: State, ctx: HookContext): void {
  for (const relation of state.relations) {
    const view = relation.views[ctx.unit];
    if (!view?.settingsCache) continue;
    for (const member of Object.keys(view.settingsCache)) {
      if (!Object.hasOwn(view.members, member)) delete view.settingsCache[member];
    }
  }
  if (ctx.relationId === null || ctx.remoteUnit === "") return;
  const view = state.relations.find((r) => r.id === ctx.relationId)?.views[ctx.unit];
  if (view?.settingsCache) delete view.settingsCache[ctx.remoteUnit];
}

/**
 * RelationCache.Settings for a member: the cached settings, or read them and keep them. The
 * cache is the agent's memory, not part of the hook's changes: what a hook cached stays cached
 * even if the hook fails.
 */
export function memberSettings(
  view: RelationView,
  member: string,
  read: () => Record<string, string>,
): Record<string, string> {
  const cache = (view.settingsCache ??= {});
  if (!Object.hasOwn(cache, member)) cache[member] = read();
  return { ...cache[member] };
}
