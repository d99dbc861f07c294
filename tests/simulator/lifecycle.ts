// The model changes an operator makes (deploy, add-unit, integrate, remove-*, config, leader
// change) and the hook sequences Juju runs for them (spec §1.4).
import { resolve } from "node:path";
import { deployCharmDir } from "./agent-path.ts";
import { readCharm } from "./charm.ts";
import { dropGoneRelations } from "./hook-effects.ts";
import { appOf, compareUnits, getApp, getRelation, remoteUnits } from "./model.ts";
import type { Sequencer } from "./sequencer.ts";
import { readState, updateState, type Relation, type State } from "./state.ts";

export function addUnitRecord(state: State, app: string): string {
  const application = getApp(state, app);
  const name = `${app}/${application.nextUnit++}`;
  const n = state.nextMachine++;
  state.units[name] = {
    name,
    app,
    machine: String(n),
    address: `10.0.${Math.floor(n / 240)}.${(n % 240) + 10}`,
    workload: { status: "unknown", message: "", data: {} },
    agent: { status: "allocating", message: "", data: {} },
    history: [],
    logs: [],
    installed: false,
    started: false,
    dying: false,
    failedHook: null,
    owed: [],
    retry: null,
  };
  application.leader ??= name;
  return name;
}

function relationsOf(state: State, app: string): Relation[] {
  return state.relations.filter((r) => !r.dying && r.ends.some((e) => e.app === app));
}

export function createApplication(
  state: State,
  app: string,
  charmDir: string,
  config: Record<string, unknown>,
  simDir: string,
): void {
  if (state.applications[app]) throw new Error(`application "${app}" already exists`);
  const charm = readCharm(charmDir);
  state.applications[app] = {
    name: app,
    charmDir: resolve(charmDir),
    agentCharmDir: deployCharmDir(simDir, app, resolve(charmDir)),
    endpoints: charm.endpoints,
    actions: charm.actions,
    options: charm.options,
    config: {},
    leader: null,
    status: { status: "unknown", message: "", data: {} },
    version: "",
    nextUnit: 0,
    leaderSettings: {},
  };
  applyConfig(state, app, config);
  for (const [endpoint, spec] of Object.entries(charm.endpoints)) {
    if (spec.role !== "peers") continue;
    state.relations.push({
      id: state.nextRelationId++,
      interface: spec.interface,
      peer: true,
      ends: [
        { app, endpoint },
        { app, endpoint },
      ],
      unitData: {},
      appData: {},
      views: {},
      dying: false,
    });
  }
}

/** `juju config`: values are typed by the option's type; null resets to the default. */
export function applyConfig(state: State, app: string, values: Record<string, unknown>): void {
  const application = getApp(state, app);
  for (const [key, value] of Object.entries(values)) {
    const option = application.options[key];
    if (!option) throw new Error(`unknown option "${key}"`);
    if (value === null || value === undefined) {
      delete application.config[key];
      continue;
    }
    application.config[key] = typedOption(key, option.type, value);
  }
}

function typedOption(key: string, type: string, value: unknown): unknown {
  const text = String(value);
  const bad = (): Error =>
    new Error(`option "${key}" expected ${type}, got ${JSON.stringify(value)}`);
  if (type === "int") {
    const n = typeof value === "number" ? value : /^[-+]?[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n)) throw bad();
    return n;
  }
  if (type === "float") {
    const n = typeof value === "number" ? value : Number(text);
    if (Number.isNaN(n) || text.trim() === "") throw bad();
    return n;
  }
  if (type === "boolean") {
    if (typeof value === "boolean") return value;
    if (text === "true" || text === "false") return text === "true";
    throw bad();
  }
  return text;
}

/** install → -created for every relation of the app → leadership hook → config-changed → start. */
export async function startUnit(seq: Sequencer, dir: string, unit: string): Promise<void> {
  await seq.fire(unit, "install");
  const state = readState(dir);
  for (const relation of relationsOf(state, appOf(unit))) await seq.created(unit, relation.id);
  const leader = readState(dir).applications[appOf(unit)]?.leader === unit;
  await seq.fire(unit, leader ? "leader-elected" : "leader-settings-changed");
  await seq.fire(unit, "config-changed");
  await seq.fire(unit, "start");
}

/** Every unit of the relation meets every remote unit it has not met yet. */
export async function joinAll(seq: Sequencer, dir: string, relationId: number): Promise<void> {
  const state = readState(dir);
  const relation = getRelation(state, relationId);
  const units = Object.keys(relation.views).sort(compareUnits);
  for (const unit of units) {
    for (const remote of remoteUnits(state, relation, unit)) {
      const current = readState(dir).relations.find((r) => r.id === relationId);
      if (!current?.views[unit] || current.views[unit].joined.includes(remote)) continue;
      await seq.joined(unit, remote, relationId);
    }
  }
}

export function parseEndpointRef(
  state: State,
  ref: string,
  other: string,
): { app: string; endpoint: string } {
  const [app, endpoint] = ref.split(":") as [string, string | undefined];
  const application = getApp(state, app);
  if (endpoint !== undefined) {
    if (!application.endpoints[endpoint]) {
      throw new Error(`application "${app}" has no "${endpoint}" relation`);
    }
    return { app, endpoint };
  }
  const otherApp = getApp(state, other.split(":")[0]!);
  const candidates = Object.entries(application.endpoints).filter(
    ([, spec]) =>
      spec.role !== "peers" &&
      Object.values(otherApp.endpoints).some(
        (o) => o.interface === spec.interface && o.role !== spec.role,
      ),
  );
  if (candidates.length !== 1) throw new Error(`ambiguous or missing endpoint for "${app}"`);
  return { app, endpoint: candidates[0]![0] };
}

export function createRelation(state: State, a: string, b: string): Relation {
  const left = parseEndpointRef(state, a, b);
  const right = parseEndpointRef(state, b, a);
  const specA = getApp(state, left.app).endpoints[left.endpoint]!;
  const specB = getApp(state, right.app).endpoints[right.endpoint]!;
  const roles = new Set([specA.role, specB.role]);
  if (specA.interface !== specB.interface || !roles.has("provides") || !roles.has("requires")) {
    throw new Error(`no relations found between "${a}" and "${b}"`);
  }
  const exists = state.relations.some((r) =>
    r.ends.every((e) => [left, right].some((x) => x.app === e.app && x.endpoint === e.endpoint)),
  );
  if (exists) throw new Error(`relation "${a}" "${b}" already exists`);
  const relation: Relation = {
    id: state.nextRelationId++,
    interface: specA.interface,
    peer: false,
    ends: [left, right],
    unitData: {},
    appData: {},
    views: {},
    dying: false,
  };
  state.relations.push(relation);
  return relation;
}

/** Departed for each remote unit on every unit, then broken on every unit; then it is gone. */
export async function tearDownRelation(seq: Sequencer, dir: string, relationId: number) {
  const relation = updateState(dir, (state) => {
    const rel = getRelation(state, relationId);
    if (rel.peer) throw new Error("cannot remove a peer relation");
    rel.dying = true;
    return rel;
  });
  const units = Object.keys(relation.views).sort(compareUnits);
  for (const unit of units) {
    for (const remote of [...relation.views[unit]!.joined].sort(compareUnits)) {
      await seq.departed(unit, remote, relationId, remote);
    }
  }
  for (const unit of units) await seq.broken(unit, relationId);
  updateState(dir, dropGoneRelations);
}

/** Others see the unit depart; the unit departs, breaks, stops and is removed. */
export async function tearDownUnit(seq: Sequencer, dir: string, unit: string): Promise<void> {
  updateState(dir, (state) => {
    const record = state.units[unit];
    if (!record) throw new Error(`unit "${unit}" not found`);
    record.dying = true;
  });
  const relations = relationsOf(readState(dir), appOf(unit)).filter((r) => r.views[unit]);
  for (const relation of relations) {
    for (const [other, view] of Object.entries(relation.views)) {
      if (other !== unit && view.joined.includes(unit))
        await seq.departed(other, unit, relation.id, unit);
    }
  }
  for (const relation of relations) {
    const view = readState(dir).relations.find((r) => r.id === relation.id)?.views[unit];
    for (const remote of [...(view?.joined ?? [])].sort(compareUnits)) {
      await seq.departed(unit, remote, relation.id, unit);
    }
    // Juju never fires -broken for a peer relation.
    if (!relation.peer) await seq.broken(unit, relation.id);
  }
  // The unit, and leadership, go once remove has run (hook-effects.ts): not while it is in error.
  await seq.fire(unit, "stop");
  await seq.fire(unit, "remove");
}
