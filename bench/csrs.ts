// Many distinct, correctly self-signed CSRs in well under a second per thousand: one RSA 2048
// key (what the requirer libraries generate by default) or the EC key given, one subject and
// SAN per CSR, DER built here and signed with node:crypto. openssl would cost a process per CSR.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const COMMON_NAME = "2.5.4.3";
const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const SUBJECT_ALT_NAME = "2.5.29.17";
const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

function pem(der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join("\n")}\n-----END CERTIFICATE REQUEST-----`;
}

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
      return pem(seq(info, algorithm, tlv(0x03, Buffer.from([0]), signature)));
    },
  };
}
