// Questions about the model that both the hook tools and the sequencer ask.
import { decodeConfigValue } from "./config-values.ts";
import type { Application, Relation, RelationEnd, State, Unit } from "./state.ts";

export function appOf(unitName: string): string {
  return unitName.slice(0, unitName.lastIndexOf("/"));
}

export function getUnit(state: State, name: string): Unit {
  const unit = state.units[name];
  if (!unit) throw new Error(`unit "${name}" not found`);
  return unit;
}

export function getApp(state: State, name: string): Application {
  const app = state.applications[name];
  if (!app) throw new Error(`application "${name}" not found`);
  return app;
}

/** The unit's charm directory, where its hooks run (agent-path.ts deployCharmDir). */
export function unitCharmDir(state: State, unit: string): string {
  const record = getUnit(state, unit);
  return record.charmDir ?? getApp(state, record.app).charmDir;
}

export function getRelation(state: State, id: number): Relation {
  const relation = state.relations.find((r) => r.id === id);
  if (!relation) throw new Error(`relation ${id} not found`);
  return relation;
}

/** The end of the relation that belongs to app (for a peer relation, either end). */
export function localEnd(relation: Relation, app: string): RelationEnd {
  const end = relation.ends.find((e) => e.app === app);
  if (!end) throw new Error(`application "${app}" is not in relation ${relation.id}`);
  return end;
}

export function remoteEnd(relation: Relation, app: string): RelationEnd {
  if (relation.peer) return relation.ends[0];
  const end = relation.ends.find((e) => e.app !== app);
  if (!end) throw new Error(`relation ${relation.id} has no remote end for "${app}"`);
  return end;
}

/** "<endpoint>:<id>" as seen from app, the form of JUJU_RELATION_ID and relation-ids. */
export function relationKey(relation: Relation, app: string): string {
  return `${localEnd(relation, app).endpoint}:${relation.id}`;
}

/** A relation whose scope the unit has entered and not yet left (it leaves once -broken ran). */
export function unitRelation(state: State, unit: string, id: number): Relation | undefined {
  const relation = state.relations.find((r) => r.id === id);
  return relation && relation.views[unit] ? relation : undefined;
}

export function unitsOfApp(state: State, app: string): string[] {
  return Object.values(state.units)
    .filter((u) => u.app === app)
    .map((u) => u.name)
    .sort(compareUnits);
}

export function compareUnits(a: string, b: string): number {
  const [appA, numA] = [appOf(a), Number(a.slice(a.lastIndexOf("/") + 1))];
  const [appB, numB] = [appOf(b), Number(b.slice(b.lastIndexOf("/") + 1))];
  return appA === appB ? numA - numB : appA < appB ? -1 : 1;
}

/** The keys Juju writes into every unit databag when the unit enters the relation's scope. */
export function addressSettings(unit: Unit): Record<string, string> {
  return {
    "egress-subnets": `${unit.address}/32`,
    "ingress-address": unit.address,
    "private-address": unit.address,
  };
}

export function isLeader(state: State, unit: string): boolean {
  return state.applications[appOf(unit)]?.leader === unit;
}

/** Effective charm config: defaults overlaid with values set by the operator. */
export function effectiveConfig(app: Application): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(app.options)) {
    config[key] = decodeConfigValue(option.default ?? null);
  }
  for (const [key, value] of Object.entries(app.config)) config[key] = decodeConfigValue(value);
  return config;
}

/**
 * Stands for the hash the agent watches (WatchConfigSettingsHash): it changes only when a value
 * does, so setting a key to the value it has runs no config-changed.
 */
export function configHash(app: Application): string {
  const config = effectiveConfig(app);
  return JSON.stringify(
    Object.keys(config)
      .sort()
      .map((key) => [key, config[key]]),
    (_, value: unknown) => (typeof value === "bigint" ? `${value}n` : value),
  );
}
