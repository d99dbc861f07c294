// The requirer test charm: one reconcile for every hook, and the two actions.
// reconcile = make the key and CSRs the config asks for, publish them in the databag the way
// the configured library version writes them, read the provider's answer with that version's
// rules, keep what it accepts, and report k/n in the status.

import {
  pyJsonDumps,
  readProviderDatabag,
  requirerDatabag,
  type Acceptance,
  type RequirerView,
} from "../../../requirers/index.ts";
import { libpatchOf, parseConfig, type RequirerConfig } from "./config.ts";
import type { CharmEnv } from "./context.ts";
import type { HookTools } from "./hook-tools.ts";
import { desiredRequests, ensureRequests, renewRequests } from "./requests.ts";
import type { KeyFactory, Requests } from "./requests.ts";
import { StateDir } from "./state.ts";

export const ENDPOINT = "certificates";
const CSRS_KEY = "certificate_signing_requests";

/** The requirer library raised: the hook must fail, as the Python charm's would. */
export class RequirerLibraryError extends Error {
  override name = "RequirerLibraryError";
}

export interface Charm {
  juju: HookTools;
  env: CharmEnv;
  keys: KeyFactory;
}

export function handleEvent(charm: Charm): void {
  const { event } = charm.env;
  if (event.kind === "action") {
    if (event.name === "get-certificate") getCertificateAction(charm);
    else if (event.name === "renew") renewAction(charm);
    else charm.juju.actionFail(`unknown action ${event.name}`);
    return;
  }
  reconcile(charm);
}

interface Prepared {
  config: RequirerConfig;
  relationId: number;
  store: StateDir;
  requests: Requests;
}

/** Config, relation and requests, or `undefined` after setting a status that says why not. */
function prepare(charm: Charm): Prepared | undefined {
  const { juju, env } = charm;
  const parsed = parseConfig(juju.configGet());
  if (!parsed.ok) {
    juju.statusSet("blocked", parsed.message);
    return undefined;
  }
  const config = parsed.config;
  if (config.mode === "app" && !juju.isLeader()) {
    juju.statusSet("blocked", "can't scale in app mode");
    return undefined;
  }
  const relationId = juju.relationIds(ENDPOINT)[0];
  if (relationId === undefined) {
    juju.statusSet("blocked", "Waiting for certificates relation");
    return undefined;
  }
  const store = new StateDir(env.charmDir, env.modelUuid, env.unitName);
  const requests = ensureRequests(store, desiredRequests(config, env), config.keyType, charm.keys);
  if (requests.changed)
    juju.log("INFO", `certificate requests now ${requests.state.requests.length}`);
  return { config, relationId, store, requests };
}

export function reconcile(charm: Charm): void {
  const prepared = prepare(charm);
  if (prepared === undefined) return;
  publish(charm, prepared);
  const acceptance = readProvider(charm, prepared);
  if (acceptance.error !== undefined) throw new RequirerLibraryError(acceptance.error);
  prepared.store.write({ ...prepared.requests.state, accepted: acceptance.accepted });
  const total = prepared.requests.state.requests.length;
  charm.juju.statusSet(
    "active",
    `${acceptance.accepted.length}/${total} certificate requests are fulfilled`,
  );
}

/** Writes the CSRs where the mode says, and removes them from the other databag. */
function publish(charm: Charm, { config, relationId, requests }: Prepared): void {
  const { juju, env } = charm;
  const csrs = requests.state.requests.map((r) => ({ csr: r.csr, isCa: r.isCa }));
  const wanted = requirerDatabag(config.library, csrs, libpatchOf(config))[CSRS_KEY] ?? "";
  const leader = config.mode === "app" || juju.isLeader();
  const targets: { member: string; app: boolean; value: string }[] = [
    { member: env.unitName, app: false, value: config.mode === "unit" ? wanted : "" },
  ];
  if (leader) {
    targets.push({ member: env.appName, app: true, value: config.mode === "app" ? wanted : "" });
  }
  for (const { member, app, value } of targets) {
    const current = juju.relationGet(relationId, member, app)[CSRS_KEY] ?? "";
    if (current !== value) juju.relationSet(relationId, { [CSRS_KEY]: value }, app);
  }
}

function readProvider(charm: Charm, { config, relationId, requests }: Prepared): Acceptance {
  const { juju } = charm;
  const provider = juju.remoteApp(relationId);
  const bag = provider === undefined ? {} : juju.relationGet(relationId, provider, true);
  const acceptance = readProviderDatabag(
    {
      version: config.library,
      ...versionPin(config),
      ownCsrs: requests.state.requests.map((r) => ({
        csr: r.csr,
        isCa: r.isCa,
        publicKeyPem: requests.publicKey,
      })),
    },
    bag,
  );
  for (const r of acceptance.rejected) {
    juju.log("WARNING", r.csr === undefined ? r.reason : `${r.reason} (CSR ${shortCsr(r.csr)})`);
  }
  if (acceptance.error !== undefined) {
    juju.log("ERROR", `requirer library raised: ${acceptance.error}`);
  }
  return acceptance;
}

/** The library release the config pins, in the emulation's terms. */
function versionPin(config: RequirerConfig): Pick<RequirerView, "libpatch" | "charmlibsMinor"> {
  const pin = libpatchOf(config);
  if (pin === undefined) return {};
  return config.library === "charmlibs" ? { charmlibsMinor: pin } : { libpatch: pin };
}

function shortCsr(csr: string): string {
  const body = csr.split("\n").slice(1, -1).join("");
  return `…${body.slice(-16)}`;
}

function getCertificateAction(charm: Charm): void {
  const prepared = prepare(charm);
  if (prepared === undefined) {
    charm.juju.actionFail("Certificate not available: no certificate requests");
    return;
  }
  const acceptance = readProvider(charm, prepared);
  if (acceptance.error !== undefined) {
    charm.juju.actionFail(`requirer library raised: ${acceptance.error}`);
    return;
  }
  const total = prepared.requests.state.requests.length;
  if (acceptance.accepted.length < total) {
    // What the library told the charm about its own requests: a charmlibs requirer gets a
    // certificate_denied event with the provider's request_errors code, name and message.
    const why = acceptance.rejected.flatMap((r) => (r.csr === undefined ? [] : [r.reason]));
    charm.juju.actionFail(
      `Certificate not available: ${acceptance.accepted.length}/${total} certificate requests are fulfilled` +
        why.map((reason) => `; ${reason}`).join(""),
    );
    return;
  }
  const certificates = acceptance.accepted.map((a) => ({
    certificate: a.certificate,
    "ca-certificate": a.ca,
    csr: a.csr,
  }));
  charm.juju.actionSet({ certificates: pyJsonDumps(certificates) });
}

function renewAction(charm: Charm): void {
  const prepared = prepare(charm);
  if (prepared === undefined) {
    charm.juju.actionFail("nothing to renew: this unit has no certificate requests");
    return;
  }
  const renewed = renewRequests(prepared.store, prepared.requests, charm.keys);
  reconcile(charm);
  charm.juju.actionSet({ renewed: String(renewed.state.requests.length) });
}
