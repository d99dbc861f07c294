// What the controller answers when relation-get reads a bag the hook context does not hold:
// apiserver/facades/agent/uniter/uniter.go ReadRemoteSettings (checkRemoteUnit,
// getRemoteRelationAppSettings) and state/relationunit.go ReadSettings, with their errors.
import { appOf } from "../model.ts";
import type { Relation, State } from "../state.ts";
import { goQuote } from "./flags.ts";
import { RunError } from "./tool.ts";

/** names.ApplicationSnippet and names.NumberSnippet (github.com/juju/names). */
const APPLICATION = "(?:[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*)";
const VALID_APPLICATION = new RegExp(`^${APPLICATION}$`);
const VALID_UNIT = new RegExp(`^(${APPLICATION})/(?:0|[1-9][0-9]*)$`);

export const isValidApplication = (name: string): boolean => VALID_APPLICATION.test(name);
export const isValidUnit = (name: string): boolean => VALID_UNIT.test(name);

const ROLE_ORDER: Record<string, number> = { requires: 0, provides: 1, peers: 2 };

/**
 * The relation's key as Juju prints it ("req:certificates tls:certificates"): its endpoints,
 * requirer before provider, then by "app:endpoint" (state/relation.go relationKey, epSlice).
 */
export function relationKeyText(state: State, relation: Relation): string {
  const ends = relation.peer ? [relation.ends[0]] : [...relation.ends];
  const role = (app: string, endpoint: string): number =>
    ROLE_ORDER[state.applications[app]?.endpoints[endpoint]?.role ?? ""] ?? 3;
  return ends
    .map((e) => ({ text: `${e.app}:${e.endpoint}`, order: role(e.app, e.endpoint) }))
    .sort((a, b) => a.order - b.order || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((e) => e.text)
    .join(" ");
}

/** The applications on the other side from app's point of view (Relation.RelatedEndpoints). */
function relatedApps(relation: Relation, app: string): string[] {
  if (relation.peer) return [relation.ends[0].app];
  return relation.ends.filter((e) => e.app !== app).map((e) => e.app);
}

/**
 * A unit's settings as the controller holds them. checkRemoteUnit refuses a unit whose
 * application is not in the relation; otherwise its settings document is read, which lasts
 * until the relation is removed, whether or not the unit is still in scope or still exists.
 */
export function readUnitSettings(
  state: State,
  relation: Relation,
  target: string,
): Record<string, string> {
  if (!relation.ends.some((e) => e.app === appOf(target))) {
    throw new RunError("permission denied");
  }
  const bag = relation.unitData[target];
  if (bag === undefined) {
    const key = relationKeyText(state, relation);
    throw new RunError(
      `cannot read settings for unit ${goQuote(target)} in relation ${goQuote(key)}: ` +
        `unit ${goQuote(target)}: settings not found`,
    );
  }
  return { ...bag };
}

/**
 * An application's settings as the controller holds them. The uniter's client refuses a name
 * that is neither a unit nor an application (api/agent/uniter/relationunit.go ReadSettings);
 * getRemoteRelationAppSettings refuses an application that is not on the other side, which in
 * a peer relation is our own.
 */
export function readAppSettings(
  relation: Relation,
  unit: string,
  target: string,
): Record<string, string> {
  if (!isValidApplication(target) && !isValidUnit(target)) {
    throw new RunError(`${goQuote(target)} is not a valid unit or application`);
  }
  if (!relatedApps(relation, appOf(unit)).includes(target)) {
    throw new RunError("permission denied");
  }
  return { ...relation.appData[target] };
}
