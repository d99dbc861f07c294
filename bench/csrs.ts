// Many distinct, correctly self-signed CSRs in well under a second per thousand: one RSA 2048
// key (what the requirer libraries generate by default) or the EC key given, one subject and
// SAN per CSR, DER built here and signed with node:crypto. openssl would cost a process per CSR.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { oid, pemText, seq, set, tlv, utf8 } from "../tests/x509/der-builder.ts";

const COMMON_NAME = "2.5.4.3";
const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const SUBJECT_ALT_NAME = "2.5.29.17";
const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

export interface CsrFactory {
  /** A CSR for this DNS name, PEM without a trailing newline (as the libraries strip it). */
  csr(dnsName: string): string;
  /** The private key, PEM, for signing fixtures that need it. */
  readonly keyPem: string;
}

export function csrFactory(key?: KeyObject): CsrFactory {
  const privateKey = key ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return {
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    csr(dnsName) {
      const subject = seq(set(seq(oid(COMMON_NAME), utf8(dnsName))));
      const sans = seq(tlv(0x82, Buffer.from(dnsName, "ascii")));
      const extensions = seq(seq(oid(SUBJECT_ALT_NAME), tlv(0x04, sans)));
      const attributes = tlv(0xa0, seq(oid(EXTENSION_REQUEST), set(extensions)));
      const info = seq(tlv(0x02, Buffer.from([0])), subject, spki, attributes);
      const signature = sign("sha256", info, privateKey);
      // RFC 5758: ECDSA's AlgorithmIdentifier has no parameters; RSA's has NULL.
      const algorithm =
        privateKey.asymmetricKeyType === "ec"
          ? seq(oid(ECDSA_WITH_SHA256))
          : seq(oid(SHA256_WITH_RSA), tlv(0x05));
      return pemText(
        "CERTIFICATE REQUEST",
        seq(info, algorithm, tlv(0x03, Buffer.from([0]), signature)),
      );
    },
  };
}
