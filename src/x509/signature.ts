import { constants, verify, type KeyObject } from "node:crypto";
import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  decodeOid,
  expectTag,
  readOnly,
  type Tlv,
} from "./der.ts";

// Verifies a signature described by an AlgorithmIdentifier, as found in a CSR. Certificates
// do not need this: node's X509Certificate.verify does it.

export class UnsupportedSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedSignatureError";
  }
}

const HASHES: Readonly<Record<string, string>> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

interface Scheme {
  readonly name: string;
  readonly keyType: "rsa" | "ec" | "ed25519" | "ed448";
  readonly hash: string | null;
}

const SCHEMES: Readonly<Record<string, Scheme>> = {
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", keyType: "rsa", hash: "sha1" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", keyType: "rsa", hash: "sha224" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", keyType: "rsa", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", keyType: "rsa", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", keyType: "rsa", hash: "sha512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", keyType: "ec", hash: "sha1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", keyType: "ec", hash: "sha224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", keyType: "ec", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", keyType: "ec", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", keyType: "ec", hash: "sha512" },
  "1.3.101.112": { name: "Ed25519", keyType: "ed25519", hash: null },
  "1.3.101.113": { name: "Ed448", keyType: "ed448", hash: null },
};

const RSA_PSS = "1.2.840.113549.1.1.10";
const MGF1 = "1.2.840.113549.1.1.8";

function algorithmOid(der: Uint8Array, identifier: Tlv): { oid: string; params: Tlv | undefined } {
  const [oid, params] = childrenOf(der, identifier);
  return { oid: decodeOid(contentOf(der, expectTag(oid, TAG.oid, "algorithm"))), params };
}

function integerValue(content: Uint8Array): number {
  let value = 0;
  for (const byte of content) value = value * 256 + byte;
  return value;
}

// RSASSA-PSS-params (RFC 4055): [0] hash, [1] MGF1 with its hash, [2] salt length; SHA-1 and
// 20 bytes by default. Node uses one hash for both digest and MGF1, so they must agree.
function pssParameters(
  der: Uint8Array,
  params: Tlv | undefined,
): { hash: string; saltLength: number } {
  let hash = "sha1";
  let mgfHash = "sha1";
  let saltLength = 20;
  if (params !== undefined && params.tag === TAG.sequence) {
    for (const field of childrenOf(der, params)) {
      const [inner] = childrenOf(der, field);
      if (inner === undefined) throw new DerError("empty RSASSA-PSS parameter");
      if (field.tag === 0xa0) {
        hash = HASHES[algorithmOid(der, inner).oid] ?? "unknown";
      } else if (field.tag === 0xa1) {
        const mgf = algorithmOid(der, inner);
        if (mgf.oid !== MGF1 || mgf.params === undefined)
          throw new UnsupportedSignatureError(
            "RSASSA-PSS with a mask other than MGF1 is not supported",
          );
        mgfHash = HASHES[algorithmOid(der, mgf.params).oid] ?? "unknown";
      } else if (field.tag === 0xa2) {
        saltLength = integerValue(contentOf(der, expectTag(inner, TAG.integer, "saltLength")));
      }
    }
  }
  if (hash === "unknown" || hash !== mgfHash) {
    throw new UnsupportedSignatureError("RSASSA-PSS with these hash parameters is not supported");
  }
  return { hash, saltLength };
}

/**
 * Whether `signature` over `data` verifies with `key` under the AlgorithmIdentifier given in
 * DER. Throws UnsupportedSignatureError for an algorithm we do not know or one that does not
 * fit the key.
 */
export function verifySignature(
  algorithmIdentifier: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): boolean {
  const { oid, params } = algorithmOid(algorithmIdentifier, readOnly(algorithmIdentifier));
  if (oid === RSA_PSS) {
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") {
      throw new UnsupportedSignatureError("signature algorithm RSASSA-PSS does not fit the key");
    }
    const { hash, saltLength } = pssParameters(algorithmIdentifier, params);
    return safely(() =>
      verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature),
    );
  }
  const scheme = SCHEMES[oid];
  if (scheme === undefined)
    throw new UnsupportedSignatureError(`signature algorithm ${oid} is not supported`);
  if (scheme.keyType !== key.asymmetricKeyType) {
    throw new UnsupportedSignatureError(`signature algorithm ${scheme.name} does not fit the key`);
  }
  return safely(() => verify(scheme.hash, data, key, signature));
}

// Node throws on a malformed signature (bad ECDSA DER, say) instead of returning false.
function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
