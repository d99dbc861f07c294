// One set of real keys, CSRs and certificates shared by the emulation tests, made once per
// process with the openssl CLI.

import { generateCa, generateCsr, generatePrivateKey, publicKeyOf, signCsr } from "./openssl.ts";
import type { CertificateAuthority } from "./openssl.ts";

export interface Pki {
  ca: CertificateAuthority;
  /** The requirer unit under test: one key, a server request and a CA request. */
  unit: {
    publicKeyPem: string;
    /** Stripped, as every library stores its own CSR. */
    serverCsr: string;
    caCsr: string;
    serverCert: string;
    /** The server CSR signed as a CA (a provider ignoring the `ca` flag). */
    serverCsrSignedAsCa: string;
    /** The server CSR signed without any BasicConstraints extension. */
    serverCertNoBasicConstraints: string;
    caCert: string;
    /** The CA request signed as a leaf. */
    caCsrSignedAsLeaf: string;
  };
  /** Another unit of the same requirer application. */
  other: { csr: string; cert: string };
}

let cached: Pki | undefined;

export function pki(): Pki {
  if (cached !== undefined) return cached;
  const ca = generateCa("emulation test CA");
  const unitKey = generatePrivateKey("rsa");
  const serverCsr = generateCsr(unitKey, {
    commonName: "cert-0.unit-0.req.model",
    sansDns: ["cert-0.unit-0.req.model"],
  }).trim();
  const caCsr = generateCsr(unitKey, { commonName: "cert-1.unit-0.req.model" }).trim();
  const otherKey = generatePrivateKey("ec");
  const otherCsr = generateCsr(otherKey, { commonName: "cert-0.unit-1.req.model" }).trim();
  cached = {
    ca,
    unit: {
      publicKeyPem: publicKeyOf(unitKey),
      serverCsr,
      caCsr,
      serverCert: signCsr(serverCsr, ca, { isCa: false }).trim(),
      serverCsrSignedAsCa: signCsr(serverCsr, ca, { isCa: true }).trim(),
      serverCertNoBasicConstraints: signCsr(serverCsr, ca).trim(),
      caCert: signCsr(caCsr, ca, { isCa: true }).trim(),
      caCsrSignedAsLeaf: signCsr(caCsr, ca, { isCa: false }).trim(),
    },
    other: { csr: otherCsr, cert: signCsr(otherCsr, ca, { isCa: false }).trim() },
  };
  return cached;
}
