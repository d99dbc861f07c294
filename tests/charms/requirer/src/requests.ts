// Which certificates this unit asks for, and the key and CSRs behind them. A request keeps its
// CSR for as long as its names and CA flag stay the same, like the libraries, which never send
// a second CSR for an unchanged request.

import type { CharmEnv } from "./context.ts";
import type { RequirerConfig } from "./config.ts";
import type { KeyType } from "../../../requirers/openssl.ts";
import type { StateDir, StoredRequest, StoredState } from "./state.ts";

export interface DesiredRequest {
  commonName: string;
  isCa: boolean;
}

/** Canonical's tls-certificates-requirer names: cert-<i>.unit-<n>.<app>.<model> or cert-<i>.<app>.<model>. */
export function desiredRequests(config: RequirerConfig, env: CharmEnv): DesiredRequest[] {
  return Array.from({ length: config.numCertificates }, (_, i) => ({
    commonName:
      config.commonName ??
      (config.mode === "unit"
        ? `cert-${i}.unit-${env.unitNumber}.${env.appName}.${env.modelName}`
        : `cert-${i}.${env.appName}.${env.modelName}`),
    isCa: config.isCa,
  }));
}

export interface KeyFactory {
  generatePrivateKey(type: KeyType): string;
  publicKeyOf(privateKeyPem: string): string;
  generateCsr(privateKeyPem: string, subject: { commonName?: string; sansDns: string[] }): string;
}

/** X.520 caps the common name at 64 characters; longer names go in the SAN only. */
const MAX_CN = 64;

function newCsr(keys: KeyFactory, key: string, commonName: string): string {
  return keys
    .generateCsr(key, {
      ...(commonName.length <= MAX_CN ? { commonName } : {}),
      sansDns: [commonName],
    })
    .trim();
}

export interface Requests {
  privateKey: string;
  publicKey: string;
  state: StoredState;
  /** True when the CSRs differ from what was stored before. */
  changed: boolean;
}

/** Loads the key and CSRs, making whatever the config now asks for and is missing. */
export function ensureRequests(
  store: StateDir,
  desired: readonly DesiredRequest[],
  keyType: KeyType,
  keys: KeyFactory,
): Requests {
  const previous = store.read();
  let privateKey = store.readKey();
  const newKey = privateKey === undefined || previous?.keyType !== keyType;
  if (newKey || privateKey === undefined) {
    privateKey = keys.generatePrivateKey(keyType);
    store.writeKey(privateKey);
  }
  const key = privateKey;
  const unused = newKey ? [] : [...(previous?.requests ?? [])];
  const requests: StoredRequest[] = desired.map((want) => {
    const i = unused.findIndex((r) => r.commonName === want.commonName && r.isCa === want.isCa);
    if (i >= 0) return unused.splice(i, 1)[0] as StoredRequest;
    return { ...want, csr: newCsr(keys, key, want.commonName) };
  });
  const before = (previous?.requests ?? []).map((r) => r.csr).join("\n");
  const changed = before !== requests.map((r) => r.csr).join("\n");
  const accepted = (previous?.accepted ?? []).filter((a) => requests.some((r) => r.csr === a.csr));
  const state: StoredState = { keyType, requests, accepted };
  if (changed || previous === undefined) store.write(state);
  return { privateKey: key, publicKey: keys.publicKeyOf(key), state, changed };
}

/** New CSRs for the same key and names, as a renewal does. */
export function renewRequests(store: StateDir, current: Requests, keys: KeyFactory): Requests {
  const requests = current.state.requests.map((r) => ({
    ...r,
    csr: newCsr(keys, current.privateKey, r.commonName),
  }));
  const state: StoredState = { ...current.state, requests, accepted: [] };
  store.write(state);
  return { ...current, state, changed: true };
}
