// What the uniter records once a hook has run (or was skipped with `juju resolve --no-retry`,
// which commits the hook as if it had run: operation/skip.go). A failed hook records nothing:
// the unit stays where it was until the hook is retried.
import { appOf, getApp, unitsOfApp } from "./model.ts";
import type { HookRequest, State } from "./state.ts";

/** Applies the hook's effects; returns the unit that must now run leader-elected, if any. */
export function applyHookEffects(state: State, unit: string, request: HookRequest): string | null {
  const record = state.units[unit];
  if (!record) return null;
  if (request.hook === "install") record.installed = true;
  if (request.hook === "start") record.started = true;
  if (request.hook.endsWith("-relation-broken") && request.spec.relationId !== undefined) {
    const relation = state.relations.find((r) => r.id === request.spec.relationId);
    if (relation) delete relation.views[unit];
    dropGoneRelations(state);
  }
  if (request.hook === "remove") return removeUnit(state, unit);
  return null;
}

/** A removed relation goes from the model once no unit is left in it. */
export function dropGoneRelations(state: State): void {
  state.relations = state.relations.filter((r) => !r.dying || Object.keys(r.views).length > 0);
}

function removeUnit(state: State, unit: string): string | null {
  const app = getApp(state, appOf(unit));
  delete state.units[unit];
  for (const relation of state.relations) {
    delete relation.views[unit];
    delete relation.unitData[unit];
  }
  dropGoneRelations(state);
  if (app.leader !== unit) return null;
  app.leader = unitsOfApp(state, app.name)[0] ?? null;
  return app.leader;
}
