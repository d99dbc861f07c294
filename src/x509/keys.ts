import { createPublicKey, type KeyObject } from "node:crypto";

// Public keys as node:crypto sees them. Only node builtins here: the cheap CSR check uses this.

const CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: "P-256",
  secp384r1: "P-384",
  secp521r1: "P-521",
};

const SUPPORTED_CURVES = new Set(["prime256v1", "secp384r1"]);
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 4096;

/** What kind of key this is, for people: "RSA 2048", "EC P-256", "Ed25519". */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa":
      return `RSA ${details.modulusLength ?? "?"}`;
    case "rsa-pss":
      return `RSA-PSS ${details.modulusLength ?? "?"}`;
    case "dsa":
      return `DSA ${details.modulusLength ?? "?"}`;
    case "ec": {
      const curve = details.namedCurve ?? "unknown curve";
      return `EC ${CURVE_NAMES[curve] ?? curve}`;
    }
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return key.asymmetricKeyType ?? "unknown key type";
  }
}

/**
 * Why this key is refused, or undefined when it is one we support: RSA 2048–4096 bits,
 * EC P-256 or P-384, Ed25519. Those are the keys every TLS client and Python's `cryptography`
 * handle alike.
 */
export function unsupportedKeyReason(key: KeyObject): string | undefined {
  if (key.type !== "public") return "is not a public key";
  const description = describeKey(key);
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa": {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) return `${description} is too small (at least ${MIN_RSA_BITS} bits)`;
      if (bits > MAX_RSA_BITS) return `${description} is too large (at most ${MAX_RSA_BITS} bits)`;
      return undefined;
    }
    case "ec":
      return SUPPORTED_CURVES.has(details.namedCurve ?? "")
        ? undefined
        : `${description} is not a supported curve (P-256 or P-384)`;
    case "ed25519":
      return undefined;
    default:
      return `${description} is not a supported key type (RSA 2048–4096, EC P-256/P-384, Ed25519)`;
  }
}

/** The SubjectPublicKeyInfo DER of a public key: the form two keys are compared in. */
export function spkiDer(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" });
}

/** A public key in one encoding per key: two encodings of one key come out the same. */
export function normalizedSpki(spki: Buffer): Buffer {
  const key = createPublicKey({ key: spki, format: "der", type: "spki" });
  // node exports an EC key as it was read, its point compressed or its curve explicit; a JWK
  // holds only the curve's name and the point, so an EC key read back from one is exported
  // named and uncompressed.
  return spkiDer(
    key.asymmetricKeyType === "ec"
      ? createPublicKey({ key: key.export({ format: "jwk" }), format: "jwk" })
      : key,
  );
}

/** True when both are the same public key, however each was encoded. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.equals(b);
}
