// Which relation hook a unit runs next, decided as Juju 3.6's relation resolvers decide it
// (internal/worker/uniter/relation/resolver.go): from the unit's own record of each relation
// against what the model holds now, never from a replay of what happened meanwhile.
import { addressSettings, appOf, getUnit, localEnd, remoteEnd } from "./model.ts";
import { shuffled } from "./seed.ts";
import type { HookRequest, Relation, RelationView, State } from "./state.ts";

/** What the unit's agent sees of a relation: the settings version of every remote member. */
export interface RemoteSnapshot {
  members: Record<string, number>;
  appMembers: Record<string, number>;
}

const NOTHING: RemoteSnapshot = { members: {}, appMembers: {} };

/**
 * The remote units in the relation's scope and the remote application, with the version of their
 * bags. A dying unit is left out at once: the model marks its scopes departing when it is
 * destroyed (state/cleanup.go, RelationUnit.PrepareLeaveScope), before its own agent has left.
 */
export function remoteSnapshot(state: State, relation: Relation, unit: string): RemoteSnapshot {
  const remoteApp = remoteEnd(relation, appOf(unit)).app;
  const members: Record<string, number> = {};
  for (const other of Object.keys(relation.views)) {
    if (other === unit || appOf(other) !== remoteApp || state.units[other]?.dying) continue;
    members[other] = relation.versions[other] ?? 0;
  }
  return { members, appMembers: { [remoteApp]: relation.versions[remoteApp] ?? 0 } };
}

/** The relations of the unit's application, in the model's order. */
function relationsOfUnit(state: State, unit: string): Relation[] {
  const app = appOf(unit);
  return state.relations.filter((r) => r.ends.some((e) => e.app === app));
}

/**
 * The agent enters the scope of every live relation it is not in yet (relation/statetracker.go
 * SynchronizeScopes, then relationer.Join and EnterScope, which writes the unit's address keys).
 * Only a live unit can; the resolvers call this only while the unit is idle, so a unit in error
 * enters no scope and nobody sees it join.
 */
export function synchronizeScopes(state: State, unit: string): void {
  const record = getUnit(state, unit);
  if (record.dying) return;
  for (const relation of relationsOfUnit(state, unit)) {
    if (relation.dying || relation.views[unit]) continue;
    relation.views[unit] = { created: false, members: {}, appMembers: {}, changedPending: null };
    relation.unitData[unit] = { ...relation.unitData[unit], ...addressSettings(record) };
    relation.versions[unit] = (relation.versions[unit] ?? 0) + 1;
  }
}

function request(
  relation: Relation,
  unit: string,
  kind: string,
  spec: HookRequest["spec"],
  changeVersion?: number,
): HookRequest {
  const hook = `${localEnd(relation, appOf(unit)).endpoint}-relation-${kind}`;
  const full = { relationId: relation.id, ...spec };
  return changeVersion === undefined ? { hook, spec: full } : { hook, spec: full, changeVersion };
}

/** relation-created for a live relation the unit is in and has not run it for (createdRelationsResolver). */
export function nextCreatedHook(
  state: State,
  unit: string,
  random: () => number,
): HookRequest | null {
  for (const relation of shuffled(relationsOfUnit(state, unit), random)) {
    const view = relation.views[unit];
    if (relation.dying || !view || view.created) continue;
    const remoteApp = remoteEnd(relation, appOf(unit)).app;
    return request(relation, unit, "created", { remoteApp });
  }
  return null;
}

/**
 * The next joined, changed, departed or broken hook over all the unit's relations, visiting them
 * in an order drawn from random as Go's map iteration does (relationsResolver.NextOp). A dying
 * unit, or a removed relation, is seen with no remote members: it departs all and breaks.
 */
export function nextRelationHook(
  state: State,
  unit: string,
  random: () => number,
): HookRequest | null {
  synchronizeScopes(state, unit);
  const dying = getUnit(state, unit).dying;
  for (const relation of shuffled(relationsOfUnit(state, unit), random)) {
    const view = relation.views[unit];
    if (!view) continue;
    const broken = dying || relation.dying;
    const remote = broken ? NOTHING : remoteSnapshot(state, relation, unit);
    const next = nextHookForRelation(relation, unit, dying, view, remote, broken);
    if (next) return next;
  }
  return null;
}

/**
 * relationsResolver.nextHookForRelation: the -changed owed after a -joined; then departures;
 * then -broken; then the remote application's -changed; then joins; then units' -changed.
 * Units and applications go in sorted order (Go's set.SortedValues: plain string order).
 */
function nextHookForRelation(
  relation: Relation,
  unit: string,
  dying: boolean,
  view: RelationView,
  remote: RemoteSnapshot,
  broken: boolean,
): HookRequest | null {
  const pending = view.changedPending;
  if (pending !== null) {
    const spec = { remoteUnit: pending, remoteApp: appOf(pending) };
    return request(relation, unit, "changed", spec, remote.members[pending] ?? 0);
  }
  const names = [...new Set([...Object.keys(view.members), ...Object.keys(remote.members)])].sort();
  for (const name of names) {
    if (!(name in view.members) || name in remote.members) continue;
    // The departing unit is the local one when it is the one going away.
    const spec = { remoteUnit: name, remoteApp: appOf(name), departingUnit: dying ? unit : name };
    return request(relation, unit, "departed", spec, view.members[name]);
  }
  if (broken && !relation.peer) {
    return request(relation, unit, "broken", { remoteApp: remoteEnd(relation, appOf(unit)).app });
  }
  const apps = [
    ...new Set([...Object.keys(view.appMembers), ...Object.keys(remote.appMembers)]),
  ].sort();
  for (const app of apps) {
    const version = remote.appMembers[app];
    // An application whose bag was never written (version 0) is owed no hook.
    if (version === undefined || (view.appMembers[app] ?? 0) === version) continue;
    return request(relation, unit, "changed", { remoteApp: app }, version);
  }
  for (const name of names) {
    if (!(name in remote.members) || name in view.members) continue;
    const spec = { remoteUnit: name, remoteApp: appOf(name) };
    return request(relation, unit, "joined", spec, remote.members[name]);
  }
  for (const name of names) {
    const version = remote.members[name];
    if (version === undefined || !(name in view.members) || view.members[name] === version) {
      continue;
    }
    return request(
      relation,
      unit,
      "changed",
      { remoteUnit: name, remoteApp: appOf(name) },
      version,
    );
  }
  return null;
}

/**
 * What the unit records once a relation hook has run (relation/state.go UpdateStateForHook,
 * relationer.go CommitHook): -broken leaves the scope; the others move its record.
 */
export function commitRelationHook(state: State, unit: string, hook: HookRequest): void {
  const relation = state.relations.find((r) => r.id === hook.spec.relationId);
  const view = relation?.views[unit];
  if (!relation || !view) return;
  const kind = hook.hook.slice(hook.hook.lastIndexOf("-relation-") + "-relation-".length);
  const { remoteUnit, remoteApp } = hook.spec;
  if (kind === "created") view.created = true;
  else if (kind === "broken") {
    delete relation.views[unit];
    dropGoneRelations(state);
  } else if (kind === "departed") {
    if (remoteUnit) delete view.members[remoteUnit];
  } else if (kind === "joined" || kind === "changed") {
    if (remoteUnit) view.members[remoteUnit] = hook.changeVersion ?? 0;
    else if (remoteApp) view.appMembers[remoteApp] = hook.changeVersion ?? 0;
    view.changedPending = kind === "joined" && remoteUnit ? remoteUnit : null;
  }
}

/** A removed relation goes from the model once no unit is left in its scope. */
export function dropGoneRelations(state: State): void {
  state.relations = state.relations.filter((r) => !r.dying || Object.keys(r.views).length > 0);
}
