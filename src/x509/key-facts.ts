import { DerError, TAG, childrenOf, contentOf, decodeOid, expectTag, readOnly } from "./der.ts";
import type { KeyFacts } from "./facts.ts";

// The type and size of a public key, read from its SubjectPublicKeyInfo by position: what a
// rule on keys is judged on, without loading the key into OpenSSL.

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
const ED25519 = "1.3.101.112";

const CURVES: Readonly<Record<string, { size: number; name: string }>> = {
  "1.2.840.10045.3.1.7": { size: 256, name: "P-256" },
  "1.3.132.0.34": { size: 384, name: "P-384" },
  "1.3.132.0.35": { size: 521, name: "P-521" },
};

/** Throws DerError when the SubjectPublicKeyInfo does not walk. */
export function keyFacts(spki: Buffer): KeyFacts {
  const [algorithm, key] = childrenOf(spki, expectTag(readOnly(spki), TAG.sequence, "SPKI"));
  const [oidTlv, parameters] = childrenOf(spki, expectTag(algorithm, TAG.sequence, "algorithm"));
  const oid = decodeOid(contentOf(spki, expectTag(oidTlv, TAG.oid, "algorithm OID")));
  const bits = contentOf(spki, expectTag(key, TAG.bitString, "subjectPublicKey"));
  if (oid === RSA_ENCRYPTION) {
    if (bits[0] !== 0) throw new DerError("RSA key is not a whole number of bytes");
    const rsa = bits.subarray(1);
    const [modulus] = childrenOf(rsa, expectTag(readOnly(rsa), TAG.sequence, "RSAPublicKey"));
    const n = contentOf(rsa, expectTag(modulus, TAG.integer, "modulus"));
    let at = 0;
    while (at < n.length && n[at] === 0) at++;
    const size = at === n.length ? 0 : (n.length - at) * 8 - (Math.clz32(n[at]!) - 24);
    return { kind: "rsa", size, description: `RSA ${size}` };
  }
  if (oid === EC_PUBLIC_KEY) {
    const curveOid =
      parameters?.tag === TAG.oid ? decodeOid(contentOf(spki, parameters)) : undefined;
    const curve = curveOid === undefined ? undefined : CURVES[curveOid];
    if (curve === undefined) {
      return { kind: "other", size: undefined, description: `EC ${curveOid ?? "explicit curve"}` };
    }
    return { kind: "ec", size: curve.size, description: `EC ${curve.name}` };
  }
  if (oid === ED25519) return { kind: "ed25519", size: undefined, description: "Ed25519" };
  return { kind: "other", size: undefined, description: `key ${oid}` };
}
