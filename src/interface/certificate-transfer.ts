import { pythonJsonDumps } from "./python-json.ts";

// The certificate_transfer databags, as Canonical's certificate_transfer library (charmlibs
// 1.0.0) writes and reads them. Every value is JSON text written by Python's json.dumps.

export type TransferVersion = 0 | 1;

/** What a v1 requirer's leader writes in its application databag at relation-created. */
export const VERSION_KEY = "version";

/** The keys of our unit databag that the v0 interface owns; Juju's address keys stay. */
export const V0_UNIT_KEYS = ["ca", "certificate", "chain", VERSION_KEY] as const;

/**
 * The interface version a requirer speaks. Only the exact text `1` means v1, as the library
 * compares strings; anything else, or nothing, means v0.
 */
export function requirerVersion(
  requirerAppData: Readonly<Record<string, string>>,
): TransferVersion {
  return requirerAppData[VERSION_KEY] === "1" ? 1 : 0;
}

/**
 * Our whole application databag for a v1 requirer: the set of PEMs, and the version. An empty
 * set is written as `[]`: a v1 requirer reads it as "no certificates".
 */
export function providerAppDataV1(certificates: readonly string[]): Record<string, string> {
  return {
    certificates: pythonJsonDumps(dedupe(certificates)),
    [VERSION_KEY]: pythonJsonDumps(1),
  };
}

/**
 * The v0 keys of our unit databag: the first PEM as `ca` and `certificate`, all of them as
 * `chain`. Empty when there is nothing to publish; v0 has no way to say "no certificates".
 */
export function providerUnitDataV0(certificates: readonly string[]): Record<string, string> {
  const pems = dedupe(certificates);
  const first = pems[0];
  if (first === undefined) return {};
  return {
    ca: pythonJsonDumps(first),
    certificate: pythonJsonDumps(first),
    chain: pythonJsonDumps(pems),
    [VERSION_KEY]: pythonJsonDumps(0),
  };
}

// The interface carries a set; a repeated PEM would only make requirers trust it twice.
function dedupe(certificates: readonly string[]): string[] {
  return [...new Set(certificates)];
}
