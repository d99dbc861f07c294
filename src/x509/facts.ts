// What a CSR or a certificate says about the names, key and CA flag it carries, as plain data:
// what rules about issuing (the signing policy) are judged on. Read by `csr-facts.ts` and
// `certificate-facts.ts` with the DER reader; no ASN.1 library.

/** One subjectAltName entry, by GeneralName type (RFC 5280 §4.2.1.6). */
export type AltName =
  | { readonly kind: "dns"; readonly value: string }
  /** Dotted IPv4 or RFC 5952 IPv6 text; an address of another length is `other`. */
  | { readonly kind: "ip"; readonly value: string }
  | { readonly kind: "email"; readonly value: string }
  | { readonly kind: "uri"; readonly value: string }
  /** otherName, x400Address, directoryName, ediPartyName, registeredID, a bad IP length. */
  | { readonly kind: "other"; readonly value: string };

export type KeyKind = "rsa" | "ec" | "ed25519" | "other";

export interface KeyFacts {
  readonly kind: KeyKind;
  /** RSA modulus bits, or EC curve size (256, 384, 521); undefined otherwise. */
  readonly size: number | undefined;
  /** "RSA 2048", "EC P-256", "Ed25519", "key 1.2.840.10040.4.1". */
  readonly description: string;
}

export interface NameFacts {
  /** Every commonName value of the subject, in order (a subject may hold several). */
  readonly commonNames: readonly string[];
  /** How many subjectAltName extensions there are: more than one is not a sound request. */
  readonly subjectAltNameExtensions: number;
  /** The entries of every subjectAltName extension, in order. */
  readonly altNames: readonly AltName[];
}

export interface CsrFacts extends NameFacts {
  /** The extensionRequest asks for basicConstraints with cA TRUE. */
  readonly requestsCa: boolean;
  readonly key: KeyFacts;
}

export interface CertificateFacts extends NameFacts {
  /** basicConstraints cA; false when the extension is absent. */
  readonly isCa: boolean;
  readonly key: KeyFacts;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** "DNS:a.example", "IP:10.0.0.1", as the listings and openssl print them. */
export function altNameText(name: AltName): string {
  switch (name.kind) {
    case "dns":
      return `DNS:${name.value}`;
    case "ip":
      return `IP:${name.value}`;
    case "email":
      return `email:${name.value}`;
    case "uri":
      return `URI:${name.value}`;
    case "other":
      return name.value;
  }
}
