import { certificateLabel, type ParsedCertificate } from "./certificate.ts";
import type { ParsedCsr } from "./csr.ts";
import { samePublicKey, unsupportedKeyReason } from "./keys.ts";

// Checks a certificate an operator's CA issued for a CSR before it is handed to the requester:
// same key as the CSR, CA flag as requested, a chain whose every link is a verified signature,
// every certificate valid now. Each failure names the input at fault.

export type ValidatedInput =
  "certificate" | "ca-chain" | "ca-certificate" | "certificate-signing-request";

export class CertificateValidationError extends Error {
  constructor(
    readonly input: ValidatedInput,
    readonly reason: string,
  ) {
    super(`${input}: ${reason}`);
    this.name = "CertificateValidationError";
  }
}

export interface ProvidedCertificate {
  readonly csr: ParsedCsr;
  readonly certificate: ParsedCertificate;
  readonly caCertificate: ParsedCertificate;
  /** The operator's chain, in the order given; undefined or empty when none was given. */
  readonly chain?: readonly ParsedCertificate[] | undefined;
  /** The request asked for a CA certificate (`"ca": true`). */
  readonly requestIsCa: boolean;
  readonly now: Date;
}

export interface ValidatedCertificate {
  /** Canonical PEMs, the certificate first, each followed by its issuer, ending at the CA. */
  readonly chain: string[];
}

interface Link {
  readonly certificate: ParsedCertificate;
  /** How messages name it: "certificate", "ca-chain certificate 2 (CN=…)". */
  readonly name: string;
  readonly input: ValidatedInput;
}

const iso = (date: Date): string => date.toISOString().replace(/\.000Z$/, "Z");

function link(certificate: ParsedCertificate, input: ValidatedInput, position?: number): Link {
  const label = certificateLabel(certificate);
  const name =
    input === "certificate"
      ? `certificate (${label})`
      : input === "ca-certificate"
        ? `ca-certificate (${label})`
        : `ca-chain certificate ${position ?? "?"} (${label})`;
  return { certificate, name, input };
}

/** Signed by that certificate's key: checked with the signature, not just the names. */
function isSignedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    return child.x509.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.subject === certificate.issuer && isSignedBy(certificate, certificate);
}

/** Places the operator's chain between the certificate and the CA, or says why it cannot. */
function assembleChain(input: ProvidedCertificate): Link[] {
  const { certificate, caCertificate } = input;
  const given = input.chain ?? [];
  const leaf = link(certificate, "certificate");
  const ca = link(caCertificate, "ca-certificate");
  if (given.length === 0) return [leaf, ca];

  const fail = (reason: string): CertificateValidationError =>
    new CertificateValidationError("ca-chain", reason);
  const seen = new Map<string, number>();
  given.forEach((c, i) => {
    const key = c.der.toString("base64");
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw fail(`holds the same certificate twice (positions ${earlier + 1} and ${i + 1})`);
    }
    seen.set(key, i);
  });

  const leafAt = given.findIndex((c) => c.der.equals(certificate.der));
  const caAt = given.findIndex((c) => c.der.equals(caCertificate.der));
  if (leafAt > 0) {
    throw fail(
      `must be leaf first: the certificate is at position ${leafAt + 1} of ${given.length}; ` +
        "order it certificate, then each issuer, ending at the CA certificate",
    );
  }
  if (caAt !== -1 && caAt !== given.length - 1) {
    throw fail(
      `must end at the CA certificate: it is at position ${caAt + 1} of ${given.length}; ` +
        "order it certificate, then each issuer, ending at the CA certificate",
    );
  }
  const links = given.map((c, i) =>
    i === leafAt ? leaf : i === caAt ? ca : link(c, "ca-chain", i + 1),
  );
  if (leafAt === -1) links.unshift(leaf);
  if (caAt === -1) links.push(ca);
  return links;
}

function checkLinks(links: readonly Link[], given: readonly ParsedCertificate[]): void {
  for (let i = 0; i + 1 < links.length; i++) {
    const child = links[i]!;
    const issuer = links[i + 1]!;
    if (isSignedBy(child.certificate, issuer.certificate)) {
      if (child.certificate.issuer !== issuer.certificate.subject) {
        throw new CertificateValidationError(
          child.input === "certificate" && issuer.input === "ca-certificate"
            ? "certificate"
            : "ca-chain",
          `${child.name} names its issuer "${child.certificate.issuer}" but is signed by ` +
            `${issuer.name}, whose subject differs`,
        );
      }
      continue;
    }
    if (given.length > 1 && reversedLinks(given)) {
      throw new CertificateValidationError(
        "ca-chain",
        "is in the wrong order: it must be leaf first, each certificate followed by its issuer, ending at the CA certificate",
      );
    }
    const input =
      child.input === "certificate" && issuer.input === "ca-certificate"
        ? "certificate"
        : "ca-chain";
    throw new CertificateValidationError(
      input,
      `the chain breaks: ${child.name} is not signed by ${issuer.name}` +
        (child.certificate.issuer === issuer.certificate.subject
          ? " (the names match but the signature does not verify with its key)"
          : ` (it names its issuer "${child.certificate.issuer}")`),
    );
  }
}

// An operator who pastes a chain root first gets told so rather than "does not link".
function reversedLinks(given: readonly ParsedCertificate[]): boolean {
  const reversed = [...given].reverse();
  return reversed.every((c, i) => i + 1 === reversed.length || isSignedBy(c, reversed[i + 1]!));
}

function checkIssuers(links: readonly Link[]): void {
  links.forEach((issuer, i) => {
    if (i === 0) return;
    const c = issuer.certificate;
    if (!c.isCa) {
      throw new CertificateValidationError(
        issuer.input,
        `${issuer.name} is not a CA certificate (no basicConstraints CA:TRUE), so it cannot issue certificates`,
      );
    }
    if (!c.mayIssueCertificates) {
      throw new CertificateValidationError(
        issuer.input,
        `${issuer.name} has a keyUsage without keyCertSign, so it cannot issue certificates`,
      );
    }
    const below = i - 1; // CA certificates between it and the leaf
    if (c.pathLength !== undefined && below > c.pathLength) {
      throw new CertificateValidationError(
        issuer.input,
        `${issuer.name} allows ${c.pathLength} CA certificate(s) below it (pathLenConstraint), the chain has ${below}`,
      );
    }
  });
}

/** A certificate issued a moment ago by a CA whose clock runs a little ahead is still fine. */
export const CLOCK_SKEW_MS = 5 * 60_000;

function checkDates(links: readonly Link[], now: Date): void {
  for (const { certificate: c, name, input } of links) {
    const span = `valid from ${iso(c.notBefore)} to ${iso(c.notAfter)}`;
    if (now.getTime() + CLOCK_SKEW_MS < c.notBefore.getTime()) {
      throw new CertificateValidationError(
        input,
        `${name} is not valid yet (${span}; now ${iso(now)})`,
      );
    }
    if (now > c.notAfter) {
      throw new CertificateValidationError(input, `${name} has expired (${span}; now ${iso(now)})`);
    }
  }
}

function checkKeys(links: readonly Link[]): void {
  for (const { certificate: c, name, input } of links) {
    const problem = unsupportedKeyReason(c.publicKey);
    if (problem !== undefined)
      throw new CertificateValidationError(input, `${name}: public key ${problem}`);
  }
}

/** Checks the certificate against its CSR, request and CA; returns the chain to publish. */
export function validateProvidedCertificate(input: ProvidedCertificate): ValidatedCertificate {
  const { csr, certificate, requestIsCa } = input;
  if (!csr.signatureValid) {
    throw new CertificateValidationError(
      "certificate-signing-request",
      "self-signature does not verify with its own public key (the CSR was altered or corrupted)",
    );
  }
  // The same encoding is the same key, without exporting either; otherwise node decides.
  const sameKey =
    certificate.subjectPublicKeyInfo.equals(csr.subjectPublicKeyInfo) ||
    samePublicKey(certificate.publicKey, csr.publicKey);
  if (!sameKey) {
    const same = certificate.keyDescription === csr.keyDescription ? ", a different key" : "";
    throw new CertificateValidationError(
      "certificate",
      `public key (${certificate.keyDescription}) does not match the CSR's ` +
        `(${csr.keyDescription}${same}); it was issued for another request`,
    );
  }
  if (isSelfSigned(certificate)) {
    throw new CertificateValidationError(
      "certificate",
      "is self-signed; it must be signed by the CA given as ca-certificate",
    );
  }
  if (certificate.isCa && !requestIsCa) {
    throw new CertificateValidationError(
      "certificate",
      "is a CA certificate but the request asked for a leaf certificate",
    );
  }
  if (!certificate.isCa && requestIsCa) {
    throw new CertificateValidationError(
      "certificate",
      "is not a CA certificate (no basicConstraints CA:TRUE) but the request asked for a CA certificate",
    );
  }
  const links = assembleChain(input);
  checkLinks(links, input.chain ?? []);
  checkKeys(links);
  checkIssuers(links);
  checkDates(links, input.now);
  return { chain: links.map((l) => l.certificate.pem) };
}
