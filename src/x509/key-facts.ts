import { createPublicKey } from "node:crypto";
import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  decodeOid,
  encodeOid,
  expectTag,
  isOid,
  readOnly,
} from "./der.ts";
import type { KeyFacts } from "./facts.ts";

// The type and size of a public key, read from its SubjectPublicKeyInfo by position: what a
// rule on keys is judged on, without loading the key into OpenSSL (but for an EC curve written
// as explicit parameters, which only OpenSSL can name).

const RSA_ENCRYPTION = encodeOid("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY = encodeOid("1.2.840.10045.2.1");
const ED25519 = encodeOid("1.3.101.112");

const CURVES = [
  { oid: encodeOid("1.2.840.10045.3.1.7"), openssl: "prime256v1", size: 256, name: "P-256" },
  { oid: encodeOid("1.3.132.0.34"), openssl: "secp384r1", size: 384, name: "P-384" },
  { oid: encodeOid("1.3.132.0.35"), openssl: "secp521r1", size: 521, name: "P-521" },
];

/** Throws DerError when the SubjectPublicKeyInfo does not walk. */
export function keyFacts(spki: Buffer): KeyFacts {
  const [algorithm, key] = childrenOf(spki, expectTag(readOnly(spki), TAG.sequence, "SPKI"));
  const [oid, parameters] = childrenOf(spki, expectTag(algorithm, TAG.sequence, "algorithm"));
  expectTag(oid, TAG.oid, "algorithm OID");
  const bits = contentOf(spki, expectTag(key, TAG.bitString, "subjectPublicKey"));
  if (isOid(spki, oid, RSA_ENCRYPTION)) {
    if (bits[0] !== 0) throw new DerError("RSA key is not a whole number of bytes");
    const rsa = bits.subarray(1);
    const [modulus] = childrenOf(rsa, expectTag(readOnly(rsa), TAG.sequence, "RSAPublicKey"));
    const n = contentOf(rsa, expectTag(modulus, TAG.integer, "modulus"));
    let at = 0;
    while (at < n.length && n[at] === 0) at++;
    const size = at === n.length ? 0 : (n.length - at) * 8 - (Math.clz32(n[at]!) - 24);
    return { kind: "rsa", size, description: `RSA ${size}` };
  }
  if (isOid(spki, oid, EC_PUBLIC_KEY)) {
    const curve =
      CURVES.find((known) => isOid(spki, parameters, known.oid)) ??
      (parameters?.tag === TAG.sequence ? curveOfExplicitParameters(spki) : undefined);
    if (curve === undefined) {
      const named =
        parameters?.tag === TAG.oid ? decodeOid(contentOf(spki, parameters)) : undefined;
      return { kind: "other", size: undefined, description: `EC ${named ?? "explicit curve"}` };
    }
    return { kind: "ec", size: curve.size, description: `EC ${curve.name}` };
  }
  if (isOid(spki, oid, ED25519))
    return { kind: "ed25519", size: undefined, description: "Ed25519" };
  return { kind: "other", size: undefined, description: `key ${decodeOid(contentOf(spki, oid!))}` };
}

/**
 * The named curve that explicit parameters spell out, as OpenSSL reads them: it names them only
 * when every parameter, the generator included, is that curve's, so a curve with another
 * generator (CVE-2020-0601) stays unnamed ("UNDEF"). Rare enough to pay for loading the key.
 */
function curveOfExplicitParameters(spki: Buffer): (typeof CURVES)[number] | undefined {
  try {
    const key = createPublicKey({ key: spki, format: "der", type: "spki" });
    return CURVES.find((known) => known.openssl === key.asymmetricKeyDetails?.namedCurve);
  } catch {
    return undefined;
  }
}
