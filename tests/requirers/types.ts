// Shared shapes of the requirer-library emulations. Each emulation answers one question:
// given what a requirer unit wrote and what the provider published, which certificates would
// that version of Canonical's Python library hand to its charm?

export const LIBRARY_VERSIONS = ["v1", "v2", "v3", "v4", "charmlibs"] as const;
export type LibraryVersion = (typeof LIBRARY_VERSIONS)[number];

/** The newest LIBPATCH of each Charmhub library (spec §0); charmlibs is versioned on PyPI. */
export const LATEST_LIBPATCH: Record<Exclude<LibraryVersion, "charmlibs">, number> = {
  v1: 14,
  v2: 30,
  v3: 27,
  v4: 27,
};

export interface OwnCsr {
  /** Exactly as the requirer wrote it in its databag (already stripped by the library). */
  csr: string;
  isCa: boolean;
  /** SPKI PEM of the requirer's key; v4/charmlibs compare it with the certificate's key. */
  publicKeyPem?: string;
}

export interface RequirerView {
  version: LibraryVersion;
  /** Charmhub LIBPATCH (v2 < 19 writes no `ca`; v4 ≤ 24 matches raw strings). Default: newest. */
  libpatch?: number;
  /** charmlibs minor version of 1.x (`request_errors` ≥ 3, `capabilities` ≥ 10). Default: 10. */
  charmlibsMinor?: number;
  ownCsrs: OwnCsr[];
}

export interface AcceptedCertificate {
  /** The requirer's own CSR string (as in `RequirerView.ownCsrs`). */
  csr: string;
  certificate: string;
  ca: string;
  chain: string[];
}

export interface Rejection {
  csr?: string;
  reason: string;
}

export interface Acceptance {
  accepted: AcceptedCertificate[];
  rejected: Rejection[];
  /** Own CSRs with neither an accepted certificate nor a rejection. */
  pending: string[];
  /** False when the library threw the whole provider databag away (schema / model failure). */
  databagValid: boolean;
  /** Set when the requirer's hook would raise: the unit goes into error state. */
  error?: string;
}

export type ProviderDatabag = Readonly<Record<string, string>>;
