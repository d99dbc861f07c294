// What each library writes in the requirer databag (spec §1.3), byte for byte: v1 and v2 before
// LIBPATCH 19 send only the CSR; later versions add the `ca` flag. v4/charmlibs `dump()` clears
// the databag and leaves out an empty list, so no requests means no key at all.

import { pyJsonDumps } from "./pyjson.ts";
import { LATEST_LIBPATCH, type LibraryVersion } from "./types.ts";

export interface CsrRequest {
  csr: string;
  isCa: boolean;
}

export function writesCaFlag(version: LibraryVersion, libpatch?: number): boolean {
  if (version === "v1") return false;
  if (version === "v2") return (libpatch ?? LATEST_LIBPATCH.v2) >= 19;
  return true;
}

/** The value of `certificate_signing_requests` as the library's `json.dumps` produces it. */
export function writeCsrs(
  version: LibraryVersion,
  csrs: readonly CsrRequest[],
  libpatch?: number,
): string {
  const withCa = writesCaFlag(version, libpatch);
  return pyJsonDumps(
    csrs.map(({ csr, isCa }) =>
      withCa
        ? { certificate_signing_request: csr.trim(), ca: isCa }
        : { certificate_signing_request: csr.trim() },
    ),
  );
}

/** The whole requirer databag the library leaves behind (keys it owns only). */
export function requirerDatabag(
  version: LibraryVersion,
  csrs: readonly CsrRequest[],
  libpatch?: number,
): Record<string, string> {
  if ((version === "v4" || version === "charmlibs") && csrs.length === 0) return {};
  return { certificate_signing_requests: writeCsrs(version, csrs, libpatch) };
}
