// Emulations of Canonical's tls-certificates requirer libraries, v1 to charmlibs: how each
// reads the provider's app databag and which certificates it hands to its charm, and what each
// writes in its own databag.

import { readProviderDatabagV1, readProviderDatabagV2 } from "./v1.ts";
import { readProviderDatabagV3 } from "./v3.ts";
import { readProviderDatabagV4 } from "./v4.ts";
import type { Acceptance, ProviderDatabag, RequirerView } from "./types.ts";

export type {
  Acceptance,
  AcceptedCertificate,
  LibraryVersion,
  OwnCsr,
  ProviderDatabag,
  Rejection,
  RequirerView,
} from "./types.ts";
export { LATEST_LIBPATCH, LIBRARY_VERSIONS } from "./types.ts";
export { requirerDatabag, writeCsrs, writesCaFlag, type CsrRequest } from "./writers.ts";
export { pyJsonDumps } from "./pyjson.ts";

export function readProviderDatabag(
  view: RequirerView,
  providerAppDatabag: ProviderDatabag,
): Acceptance {
  switch (view.version) {
    case "v1":
      return readProviderDatabagV1(view, providerAppDatabag);
    case "v2":
      return readProviderDatabagV2(view, providerAppDatabag);
    case "v3":
      return readProviderDatabagV3(view, providerAppDatabag);
    case "v4":
    case "charmlibs":
      return readProviderDatabagV4(view, providerAppDatabag);
  }
}
