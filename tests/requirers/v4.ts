// lib v4 and its PyPI successor charmlibs.interfaces.tls_certificates as requirers.
//
// 1. `_ProviderApplicationData.load` validates the provider app databag with pydantic; a
//    failure drops every certificate of the relation (logged, not raised).
// 2. `to_provider_certificate` parses every PEM of every entry, the other units' included; a PEM
//    that does not load raises `TLSCertificatesError`, uncaught, so the hook fails.
// 3. An entry belongs to an own CSR when the CSRs are equal: as stripped raw strings up to
//    LIBPATCH 24, as re-encoded DER from LIBPATCH 25 (so CRLF and line wrapping do not matter).
// 4. A revoked entry only removes the stored certificate; the certificate's CA flag must equal
//    the request's, and its key must be the requirer's key.
// charmlibs ≥ 1.3 adds `request_errors` (→ `certificate_denied`), ≥ 1.10 `capabilities`.

import { hookError, invalidDatabag, OutcomeBuilder } from "./outcome.ts";
import { parseCertificatePem, parseCsrPem, spkiDerOf } from "./pem.ts";
import { loadProviderAppData, type CertificateModel } from "./pydantic.ts";
import { LATEST_LIBPATCH } from "./types.ts";
import type { Acceptance, OwnCsr, ProviderDatabag, RequirerView } from "./types.ts";

interface Flavour {
  label: string;
  canonicalMatch: boolean;
  requestErrors: boolean;
  capabilities: boolean;
}

function flavourOf(view: RequirerView): Flavour {
  if (view.version === "charmlibs") {
    const minor = view.charmlibsMinor ?? 10;
    return {
      label: `charmlibs 1.${minor}`,
      canonicalMatch: true,
      requestErrors: minor >= 3,
      capabilities: minor >= 10,
    };
  }
  const libpatch = view.libpatch ?? LATEST_LIBPATCH.v4;
  return {
    label: `v4 LIBPATCH ${libpatch}`,
    canonicalMatch: libpatch >= 25,
    requestErrors: false,
    capabilities: false,
  };
}

interface LoadedEntry {
  csrKey: string;
  certificate: string;
  ca: string;
  chain: string[];
  isCa: boolean;
  spkiDer: Buffer;
  revoked: boolean;
}

type EntryLoad = { ok: true; entry: LoadedEntry } | { ok: false; error: string };

const raised = (what: string, reason: string): EntryLoad => ({
  ok: false,
  error: `TLSCertificatesError: Could not load ${what} (${reason})`,
});

/** `_Certificate.to_provider_certificate()`: every PEM must load. */
function toProviderCertificate(model: CertificateModel, flavour: Flavour): EntryLoad {
  const cert = parseCertificatePem(model.certificate);
  if (!cert.ok) return raised("certificate", cert.reason);
  const ca = parseCertificatePem(model.ca);
  if (!ca.ok) return raised("CA certificate", ca.reason);
  const csr = parseCsrPem(model.certificate_signing_request);
  if (!csr.ok) return raised("CSR", csr.reason);
  const chain: string[] = [];
  for (const item of model.chain ?? []) {
    const parsed = parseCertificatePem(item);
    if (!parsed.ok) return raised("chain certificate", parsed.reason);
    chain.push(flavour.canonicalMatch ? parsed.value.canonical : item.trim());
  }
  return {
    ok: true,
    entry: {
      csrKey: flavour.canonicalMatch
        ? csr.value.canonical
        : model.certificate_signing_request.trim(),
      certificate: flavour.canonicalMatch ? cert.value.canonical : model.certificate.trim(),
      ca: flavour.canonicalMatch ? ca.value.canonical : model.ca.trim(),
      chain,
      isCa: cert.value.isCa,
      spkiDer: cert.value.spkiDer,
      revoked: model.revoked === true,
    },
  };
}

/** How the library keys its own CSR; an own CSR it cannot parse never matches. */
function ownKey(own: OwnCsr, flavour: Flavour): string | undefined {
  if (!flavour.canonicalMatch) return own.csr.trim();
  const parsed = parseCsrPem(own.csr);
  return parsed.ok ? parsed.value.canonical : undefined;
}

export function readProviderDatabagV4(view: RequirerView, bag: ProviderDatabag): Acceptance {
  const flavour = flavourOf(view);
  const loaded = loadProviderAppData(bag, flavour);
  if (!loaded.ok) {
    return invalidDatabag(
      view.ownCsrs,
      `${flavour.label} rejects the provider databag: ${loaded.error}`,
    );
  }
  const entries: LoadedEntry[] = [];
  for (const model of loaded.value.certificates) {
    const r = toProviderCertificate(model, flavour);
    if (!r.ok) return hookError(view.ownCsrs, r.error);
    entries.push(r.entry);
  }
  const ownByKey = new Map<string, OwnCsr>();
  for (const own of view.ownCsrs) {
    const key = ownKey(own, flavour);
    if (key !== undefined) ownByKey.set(key, own);
  }
  const out = new OutcomeBuilder(view.ownCsrs);
  for (const entry of entries) {
    const own = ownByKey.get(entry.csrKey);
    if (own === undefined) continue;
    if (entry.revoked) {
      out.reject(own.csr, "certificate revoked by the provider");
    } else if (own.isCa && !entry.isCa) {
      out.reject(own.csr, "CA certificate requested, got a non CA certificate, ignoring");
    } else if (!own.isCa && entry.isCa) {
      out.reject(own.csr, "Non CA certificate requested, got a CA certificate, ignoring");
    } else if (
      own.publicKeyPem !== undefined &&
      !spkiDerOf(own.publicKeyPem).equals(entry.spkiDer)
    ) {
      out.reject(own.csr, "certificate public key does not match the requirer's private key");
    } else {
      out.accept({
        csr: own.csr,
        certificate: entry.certificate,
        ca: entry.ca,
        chain: entry.chain,
      });
    }
  }
  for (const requestError of loaded.value.request_errors) {
    const parsed = parseCsrPem(requestError.csr);
    const key = parsed.ok ? parsed.value.canonical : requestError.csr.trim();
    const own = ownByKey.get(key);
    if (own === undefined) continue;
    const { code, name, message } = requestError.error;
    out.rejectUnlessAccepted(
      own.csr,
      `certificate denied by the provider: ${code} ${name}: ${message}`,
    );
  }
  return out.build();
}
