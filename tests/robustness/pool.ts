// Real CSRs and certificates, made with openssl once per test file: generators pick from these
// rather than calling openssl per case.
import { makeCa, makeCsr, makeKey, signCsr, type CaFixture } from "../x509/fixtures.ts";

export interface PoolEntry {
  /** The CSR as a requirer library writes it: trimmed PEM. */
  readonly csr: string;
  /** A certificate our CA signed for it (leaf, CA:FALSE). */
  readonly certificate: string;
}

export interface Pool {
  readonly ca: CaFixture;
  readonly good: readonly PoolEntry[];
  /** CSRs with keys the charm does not support, by what they are. */
  readonly unsupported: Readonly<Record<"rsa-1024" | "dsa-2048" | "ec-p521", string>>;
}

export function buildPool(size: number): Pool {
  const ca = makeCa();
  const good = Array.from({ length: size }, (_, i) => {
    const csr = makeCsr({ commonName: `unit-${i}.robust.example`, uniqueId: `u${i}` }).pem.trim();
    return { csr, certificate: signCsr(csr, ca).trim() };
  });
  const unsupported = {
    "rsa-1024": makeCsr({ keyType: "rsa-1024", commonName: "weak.example" }).pem.trim(),
    "dsa-2048": makeCsr({ key: makeKey("dsa-2048"), commonName: "dsa.example" }).pem.trim(),
    "ec-p521": makeCsr({ keyType: "ec-p521", commonName: "p521.example" }).pem.trim(),
  };
  return { ca, good, unsupported };
}

/** Our `certificates` entry for a pool CSR, exactly as the charm writes one. */
export function publishedEntry(pool: Pool, entry: PoolEntry): Record<string, unknown> {
  const ca = pool.ca.pem.trim();
  return {
    ca,
    certificate_signing_request: entry.csr,
    certificate: entry.certificate,
    chain: [entry.certificate, ca],
  };
}
