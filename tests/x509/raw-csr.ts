// CSRs built byte by byte, for what `openssl req` cannot write: subject values holding NUL or
// other control characters, any ASN.1 string type, and a public key encoded another way than
// node exports it (RSA without NULL parameters, an EC point compressed or with explicit curve
// parameters). Each is correctly self-signed with node:crypto, so the charm accepts it.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { oid, pemText, seq, set, tlv } from "./der-builder.ts";
import { openssl, workFile } from "./openssl.ts";

/** The ASN.1 string types a subject value may take, and how each encodes its text. */
const STRING_TYPES = {
  utf8: { tag: 0x0c, encode: (text: string) => Buffer.from(text, "utf8") },
  printable: { tag: 0x13, encode: (text: string) => Buffer.from(text, "latin1") },
  ia5: { tag: 0x16, encode: (text: string) => Buffer.from(text, "latin1") },
  bmp: { tag: 0x1e, encode: (text: string) => Buffer.from(text, "utf16le").swap16() },
  universal: {
    tag: 0x1c,
    encode: (text: string) => {
      const codePoints = [...text].map((char) => char.codePointAt(0)!);
      const bytes = Buffer.alloc(codePoints.length * 4);
      codePoints.forEach((point, i) => bytes.writeUInt32BE(point, i * 4));
      return bytes;
    },
  },
} as const;

export type StringType = keyof typeof STRING_TYPES;

export const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  x500UniqueIdentifier: "2.5.4.45",
} as const;

export interface Attribute {
  readonly oid: string;
  readonly value: string;
  /** utf8 unless given. */
  readonly type?: StringType;
}

/** A SAN entry: dNSName, rfc822Name and URI are IA5 text (bytes as latin1); IP is bytes. */
export type RawSan =
  | { readonly dns: string }
  | { readonly email: string }
  | { readonly uri: string }
  | { readonly ip: Buffer };

function generalName(san: RawSan): Buffer {
  if ("dns" in san) return tlv(0x82, Buffer.from(san.dns, "latin1"));
  if ("email" in san) return tlv(0x81, Buffer.from(san.email, "latin1"));
  if ("uri" in san) return tlv(0x86, Buffer.from(san.uri, "latin1"));
  return tlv(0x87, san.ip);
}

export interface RawCsrOptions {
  readonly key: KeyObject;
  /** One RDN per attribute, in encoding order (least specific first). */
  readonly subject: readonly Attribute[];
  readonly sans?: readonly RawSan[];
  /** The SubjectPublicKeyInfo to write; the key's own, as node exports it, by default. */
  readonly spki?: Buffer;
}

const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const SUBJECT_ALT_NAME = "2.5.29.17";
const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const ED25519 = "1.3.101.112";

/** A self-signed PKCS#10 request, PEM without a trailing newline (as the libraries write it). */
export function rawCsr(options: RawCsrOptions): string {
  const { key } = options;
  const subject = seq(
    ...options.subject.map(({ oid: type, value, type: stringType = "utf8" }) => {
      const { tag, encode } = STRING_TYPES[stringType];
      return set(seq(oid(type), tlv(tag, encode(value))));
    }),
  );
  const spki = options.spki ?? createPublicKey(key).export({ type: "spki", format: "der" });
  const sans = options.sans ?? [];
  const attributes =
    sans.length === 0
      ? tlv(0xa0)
      : tlv(
          0xa0,
          seq(
            oid(EXTENSION_REQUEST),
            set(seq(seq(oid(SUBJECT_ALT_NAME), tlv(0x04, seq(...sans.map(generalName)))))),
          ),
        );
  const info = seq(tlv(0x02, Buffer.from([0])), subject, spki, attributes);
  const kind = key.asymmetricKeyType;
  const signature = sign(kind === "ed25519" ? null : "sha256", info, key);
  // RFC 5758: ECDSA's AlgorithmIdentifier has no parameters; RSA's has NULL.
  const algorithm =
    kind === "ec"
      ? seq(oid(ECDSA_WITH_SHA256))
      : kind === "ed25519"
        ? seq(oid(ED25519))
        : seq(oid(SHA256_WITH_RSA), tlv(0x05));
  return pemText(
    "CERTIFICATE REQUEST",
    seq(info, algorithm, tlv(0x03, Buffer.from([0]), signature)),
  );
}

/** The key's SubjectPublicKeyInfo as node exports it (RSA with NULL, EC named and uncompressed). */
export const standardSpki = (key: KeyObject): Buffer =>
  createPublicKey(key).export({ type: "spki", format: "der" });

const RSA_ALGORITHM = seq(oid("1.2.840.113549.1.1.1"), tlv(0x05));

/** An RSA key's SPKI with the algorithm's parameters left out rather than NULL. */
export function rsaSpkiWithoutNull(key: KeyObject): Buffer {
  const standard = standardSpki(key);
  const at = standard.indexOf(RSA_ALGORITHM);
  if (at === -1) throw new Error("not an RSA SPKI as node writes it");
  const bitString = standard.subarray(at + RSA_ALGORITHM.length);
  return seq(seq(oid("1.2.840.113549.1.1.1")), bitString);
}

/** The named curves' OIDs (RFC 5480), by the name a JWK gives them. */
const CURVE_OIDS: Readonly<Record<string, string>> = {
  "P-256": "1.2.840.10045.3.1.7",
  "P-384": "1.3.132.0.34",
  "P-521": "1.3.132.0.35",
};

/** An EC key's SPKI, its curve named, with its point in compressed form (SEC 1 2.3.3). */
export function ecSpkiCompressed(key: KeyObject): Buffer {
  const jwk = createPublicKey(key).export({ format: "jwk" });
  const curve = CURVE_OIDS[jwk.crv ?? ""];
  if (curve === undefined) throw new Error(`not a named EC curve: ${jwk.crv}`);
  const x = Buffer.from(jwk.x ?? "", "base64url");
  const y = Buffer.from(jwk.y ?? "", "base64url");
  const point = Buffer.concat([Buffer.from([(y.at(-1)! & 1) === 1 ? 3 : 2]), x]);
  return seq(seq(oid("1.2.840.10045.2.1"), oid(curve)), tlv(0x03, Buffer.from([0]), point));
}

/** An EC key's SPKI with the curve written out as explicit parameters, as openssl writes it. */
export function ecSpkiExplicit(key: KeyObject): Buffer {
  const publicPem = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  const explicit = openssl([
    "ec",
    "-pubin",
    "-in",
    workFile("public.pem", publicPem),
    "-pubout",
    "-param_enc",
    "explicit",
  ]);
  return Buffer.from(explicit.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}

/**
 * An EC key's SPKI with explicit parameters whose generator is another point of the curve (the
 * "CurveBall" shape, CVE-2020-0601): the curve's equation and order, but not the named curve.
 */
export function ecSpkiExplicitOtherGenerator(key: KeyObject): Buffer {
  const explicit = Buffer.from(ecSpkiExplicit(key));
  const curve = createPublicKey(key).asymmetricKeyDetails?.namedCurve;
  const other = generateKeyPairSync("ec", { namedCurve: curve ?? "" }).publicKey.export({
    format: "jwk",
  });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(other.x ?? "", "base64url"),
    Buffer.from(other.y ?? "", "base64url"),
  ]);
  // The generator is the parameters' one OCTET STRING holding an uncompressed point; the key's
  // own point is in the BIT STRING after them.
  const header = Buffer.from(
    point.length < 0x80 ? [0x04, point.length] : [0x04, 0x81, point.length],
  );
  const at = explicit.indexOf(Buffer.concat([header, Buffer.from([0x04])]));
  if (at === -1) throw new Error("no uncompressed generator in these explicit parameters");
  point.copy(explicit, at + header.length);
  return explicit;
}
