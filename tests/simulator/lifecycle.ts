// The model changes an operator makes (deploy, add-unit, integrate, remove-*, config). They only
// change the model; the hooks each unit then runs are the resolver's to decide (resolver.ts).
import { resolve } from "node:path";
import { deployCharmDir } from "./agent-path.ts";
import { readCharm } from "./charm.ts";
import { parseOptionValue } from "./config-values.ts";
import { claimVacantLease } from "./leadership.ts";
import { compareUnits, configHash, getApp, getRelation, getUnit } from "./model.ts";
import { dropGoneRelations, remoteSnapshot, synchronizeScopes } from "./relation-resolver.ts";
import type { Relation, State } from "./state.ts";

export function addUnitRecord(state: State, app: string, simDir: string): string {
  const application = getApp(state, app);
  const name = `${app}/${application.nextUnit++}`;
  const n = state.nextMachine++;
  state.units[name] = {
    name,
    app,
    machine: String(n),
    address: `10.0.${Math.floor(n / 240)}.${(n % 240) + 10}`,
    charmDir: deployCharmDir(simDir, name, application.charmDir),
    workload: { status: "unknown", message: "", data: {} },
    agent: { status: "allocating", message: "", data: {} },
    history: [],
    logs: [],
    installed: false,
    started: false,
    stopped: false,
    dying: false,
    leader: false,
    leaderSettingsVersion: 0,
    configHash: "",
    statusSet: false,
    failedHook: null,
    queuedHook: null,
    retry: null,
  };
  return name;
}

export function createApplication(
  state: State,
  app: string,
  charmDir: string,
  config: Record<string, unknown>,
): void {
  if (state.applications[app]) throw new Error(`application "${app}" already exists`);
  const charm = readCharm(charmDir);
  state.applications[app] = {
    name: app,
    charmDir: resolve(charmDir),
    endpoints: charm.endpoints,
    actions: charm.actions,
    options: charm.options,
    config: {},
    leader: null,
    status: { status: "unknown", message: "", data: {} },
    version: "",
    nextUnit: 0,
    leaderSettings: {},
    leaderSettingsVersion: 1,
    leaseExpiring: false,
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
      versions: {},
      dying: false,
    });
  }
}

/**
 * `juju config`: a string is parsed as `juju config app key=value` sends it, a typed value as a
 * YAML file gives it (config-values.ts); null resets a key to its default.
 */
export function applyConfig(state: State, app: string, values: Record<string, unknown>): void {
  const application = getApp(state, app);
  const typed: Record<string, unknown> = {};
  // Every value is checked before any is set, as the API sets them all or none.
  for (const [key, value] of Object.entries(values)) {
    const option = application.options[key];
    if (!option) throw new Error(`unknown option "${key}"`);
    typed[key] =
      value === null || value === undefined ? null : parseOptionValue(key, option.type, value);
  }
  for (const [key, value] of Object.entries(typed)) {
    if (value === null) delete application.config[key];
    else application.config[key] = value;
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
    versions: {},
    dying: false,
  };
  state.relations.push(relation);
  return relation;
}

/**
 * `juju remove-relation`: the relation dies. Each unit in its scope then departs its members and
 * breaks it; it goes once the last has left (at once if no unit had entered it).
 */
export function removeRelation(state: State, relationId: number): void {
  const relation = getRelation(state, relationId);
  if (relation.peer) throw new Error("cannot remove a peer relation");
  relation.dying = true;
  dropGoneRelations(state);
}

/** `juju remove-unit`: the unit dies; it departs, breaks, stops and is removed in its turn. */
export function removeUnit(state: State, unit: string): void {
  getUnit(state, unit).dying = true;
}

/**
 * Makes every unit's own record match the model, as if each had run every hook it owes: for a
 * model written straight into the state (bench/model.ts), so that the next settle() runs
 * nothing that a real model at rest would not.
 */
export function recordAsSettled(state: State): void {
  for (const unit of Object.keys(state.units)) synchronizeScopes(state, unit);
  // The first unit of each application has claimed its lease, as if its agent had asked first.
  for (const unit of Object.keys(state.units).sort(compareUnits)) claimVacantLease(state, unit);
  for (const unit of Object.values(state.units)) {
    const app = getApp(state, unit.app);
    Object.assign(unit, {
      installed: true,
      started: true,
      leader: app.leader === unit.name,
      leaderSettingsVersion: app.leaderSettingsVersion,
      configHash: configHash(app),
      failedHook: null,
      queuedHook: null,
    });
    unit.agent = { status: "idle", message: "", data: {} };
  }
  for (const relation of state.relations) {
    for (const unit of Object.keys(relation.views)) {
      const { members, appMembers } = remoteSnapshot(state, relation, unit);
      relation.views[unit] = { created: true, members, appMembers, changedPending: null };
    }
  }
}
