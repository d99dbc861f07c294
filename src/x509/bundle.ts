import type * as Crypto from "node:crypto";
import { createRequire } from "node:module";
import { readOnly } from "./der.ts";
import { CERTIFICATE, PemError, readPems, type PemBlock } from "./pem.ts";

// A bundle of trusted certificates, as an operator pastes it into a setting: PEM certificates
// only. Node builtins only, so reading it costs little on any hook.

export class BundleError extends Error {
  constructor(
    readonly reason: string,
    readonly input?: string,
  ) {
    super(input === undefined ? reason : `${input}: ${reason}`);
    this.name = "BundleError";
  }
}

export interface BundleEntry {
  /** Canonical PEM. */
  readonly pem: string;
  /** "CN=foo,O=bar" as node prints it, most specific first. */
  readonly subject: string;
  readonly notAfter: Date;
}

export interface ParsedBundle {
  /** Canonical PEMs in the order given, each once. */
  readonly certificates: string[];
  readonly entries: BundleEntry[];
  /** Certificates past their notAfter: kept (the operator chose them) but worth telling. */
  readonly expired: BundleEntry[];
  /** How many repeated certificates were dropped. */
  readonly duplicates: number;
}

// Every hook checks the configured bundle; with none configured, node:crypto (5 ms to load) is
// not needed, so it is loaded with the first certificate read.
let crypto: typeof Crypto | undefined;
const loadCrypto = (): typeof Crypto =>
  (crypto ??= createRequire(import.meta.url)("node:crypto") as typeof Crypto);

function subjectOf(x509: Crypto.X509Certificate): string {
  return x509.subject.split("\n").reverse().join(",");
}

/** Parses a bundle of PEM certificates; `input` names it in errors. */
export function parseCertificateBundle(
  text: string,
  options: { readonly now: Date; readonly input?: string },
): ParsedBundle {
  const fail = (reason: string): BundleError => new BundleError(reason, options.input);
  let blocks: PemBlock[];
  try {
    blocks = readPems(text, CERTIFICATE);
  } catch (error) {
    if (error instanceof PemError) throw fail(error.message);
    throw error;
  }
  const seen = new Set<string>();
  const entries: BundleEntry[] = [];
  let duplicates = 0;
  blocks.forEach((block, i) => {
    if (seen.has(block.pem)) {
      duplicates++;
      return;
    }
    seen.add(block.pem);
    let x509: Crypto.X509Certificate;
    try {
      readOnly(block.der);
      x509 = new (loadCrypto().X509Certificate)(block.der);
    } catch {
      throw fail(`certificate ${i + 1} of ${blocks.length} is not a well-formed X.509 certificate`);
    }
    entries.push({ pem: block.pem, subject: subjectOf(x509), notAfter: new Date(x509.validTo) });
  });
  return {
    certificates: entries.map((e) => e.pem),
    entries,
    expired: entries.filter((e) => e.notAfter.getTime() < options.now.getTime()),
    duplicates,
  };
}
