import * as z from "zod/mini";
import {
  V0_UNIT_KEYS,
  providerAppDataV1,
  providerUnitDataV0,
  requirerVersion,
} from "../interface/certificate-transfer.ts";
import {
  ConfigError,
  type Databag,
  type HookContext,
  type Logger,
  type Model,
  type Relation,
} from "../juju/index.ts";
import { TRUST_ENDPOINT } from "./endpoints.ts";
import { BundleError, parseCertificateBundle, type BundleEntry } from "../x509/bundle.ts";

export { TRUST_ENDPOINT };
export const BUNDLE_OPTION = "trusted-certificate-bundle";

export interface TrustBundleOutcome {
  /** A status message when the bundle is invalid. */
  readonly blocked?: string;
}

// Only our option; z.object drops the others, which belong to other readers.
const schema = z.object({ [BUNDLE_OPTION]: z.optional(z.string()) });

type BundleReading =
  | { readonly ok: true; readonly certificates: string[]; readonly expired: BundleEntry[] }
  | { readonly ok: false; readonly problem: string };

/** Which trust_certificate relations a hook publishes to: all of them, or its own. */
export type TrustScope = "every relation" | { readonly relationId: number };

/**
 * Publish the configured bundle to the trust_certificate relations in scope, in the version each
 * requirer speaks, and withdraw what is no longer configured (the reference only ever adds). An
 * invalid bundle publishes nothing new and keeps the last good one in place.
 *
 * A v0 requirer reads the unit databag of whichever of our units it meets first, so every unit
 * publishes there, not only the leader as the reference does: otherwise a requirer may read a
 * unit that holds nothing, or a former leader's copy of certificates withdrawn since.
 */
export function reconcileTrustBundle(
  { model, log }: HookContext,
  scope: TrustScope,
): TrustBundleOutcome {
  const leader = model.isLeader();
  const reading = readBundle(model);
  if (!reading.ok) {
    if (leader) {
      log.warning(`not publishing ${BUNDLE_OPTION}: ${reading.problem}; what was published stays`);
    }
    return outcome(reading);
  }
  if (leader) warnExpired(reading.expired, log);
  const own =
    scope === "every relation" ? undefined : model.relation(TRUST_ENDPOINT, scope.relationId);
  const relations = scope === "every relation" ? model.relations(TRUST_ENDPOINT) : own ? [own] : [];
  for (const relation of relations) {
    publish(relation, { unitName: model.unitName, leader }, reading.certificates, log);
  }
  return {};
}

/**
 * The blocked status message when the configured bundle is invalid, from config alone: for
 * code that sets the status outside a hook's reconcile, such as an action.
 */
export function trustBundleProblem(model: Model): string | undefined {
  return outcome(readBundle(model)).blocked;
}

function outcome(reading: BundleReading): TrustBundleOutcome {
  return reading.ok ? {} : { blocked: `Invalid ${BUNDLE_OPTION}: ${reading.problem}` };
}

// Config does not change within a dispatch, and the leader reads the bundle twice (publishing,
// then the status): parse it once.
const readings = new WeakMap<Model, BundleReading>();

function readBundle(model: Model): BundleReading {
  let reading = readings.get(model);
  if (reading === undefined) {
    reading = parseBundleOption(model);
    readings.set(model, reading);
  }
  return reading;
}

function parseBundleOption(model: Model): BundleReading {
  let text: string | undefined;
  try {
    text = model.config(schema)[BUNDLE_OPTION];
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problem: error.message };
    throw error;
  }
  if (text === undefined || text.trim() === "") return { ok: true, certificates: [], expired: [] };
  try {
    const bundle = parseCertificateBundle(text, { now: new Date() });
    return { ok: true, certificates: bundle.certificates, expired: bundle.expired };
  } catch (error) {
    // The reason never quotes the text: the operator may have pasted a private key.
    if (error instanceof BundleError) return { ok: false, problem: error.reason };
    throw error;
  }
}

function warnExpired(expired: readonly BundleEntry[], log: Logger): void {
  if (expired.length === 0) return;
  const names = expired
    .map((entry) => `${entry.subject || "(empty subject)"} (expired ${isoDate(entry.notAfter)})`)
    .join(", ");
  const noun = expired.length === 1 ? "certificate has" : "certificates have";
  log.warning(`${BUNDLE_OPTION}: ${expired.length} ${noun} expired, published anyway: ${names}`);
}

/**
 * One relation: the version the requirer speaks decides which bag holds the set. Only the
 * leader may write the application databag; every unit writes its own.
 */
function publish(
  relation: Relation,
  us: { readonly unitName: string; readonly leader: boolean },
  pems: string[],
  log: Logger,
): void {
  const version = requirerVersion(relation.remoteAppData.entries());
  const unit = relation.unitData(us.unitName);
  // Each write replaces the other version's data, so a requirer that announces v1 after
  // we first answered it in v0 does not keep a stale copy in our unit bag.
  let appChanged = false;
  if (us.leader) {
    const app = relation.localAppData;
    appChanged = replace(
      app,
      version === 1 ? providerAppDataV1(pems) : {},
      Object.keys(app.entries()),
    );
  }
  const unitChanged = replace(unit, version === 1 ? {} : providerUnitDataV0(pems), V0_UNIT_KEYS);
  if (!appChanged && !unitChanged) return;
  const bag = version === 1 ? "application databag, v1" : "unit databag, v0";
  const where = `on ${relation.label} (${bag})`;
  const noun = pems.length === 1 ? "certificate" : "certificates";
  log.debug(
    pems.length === 0
      ? `withdrew the trusted certificates ${where}`
      : `published ${pems.length} trusted ${noun} ${where}`,
  );
}

/**
 * Makes the bag hold `wanted` among the keys we own there and nothing else; true when that is
 * a change. Equal values are not sent: the databag drops writes that change nothing.
 */
function replace(
  bag: Databag,
  wanted: Readonly<Record<string, string>>,
  owned: readonly string[],
): boolean {
  for (const key of owned) if (!(key in wanted)) bag.delete(key);
  for (const [key, value] of Object.entries(wanted)) bag.set(key, value);
  return Object.keys(bag.pendingChanges()).length > 0;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
