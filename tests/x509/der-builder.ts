// CSRs and certificates built byte by byte, for what openssl will not make: two common names,
// two subjectAltName extensions, two extension requests, otherName and directoryName entries,
// strings of every ASN.1 type. Signed with node:crypto, so they are valid where it matters.
import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));

export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export const OID = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extensionRequest: "1.2.840.113549.1.9.14",
  challengePassword: "1.2.840.113549.1.9.7",
} as const;

/** An AttributeTypeAndValue; `tag` is the string type (UTF8String 0x0c by default). */
export const attribute = (type: string, value: Buffer | string, tag = 0x0c): Buffer =>
  seq(oid(type), typeof value === "string" ? tlv(tag, Buffer.from(value, "utf8")) : value);

/** A Name, one RDN per attribute. */
export const name = (...attributes: Buffer[]): Buffer => seq(...attributes.map((atv) => set(atv)));

export const cn = (value: string, tag = 0x0c): Buffer => attribute(OID.commonName, value, tag);

/** GeneralName entries. */
export const general = {
  dns: (value: string) => tlv(0x82, Buffer.from(value, "latin1")),
  ip: (bytes: number[]) => tlv(0x87, Buffer.from(bytes)),
  email: (value: string) => tlv(0x81, Buffer.from(value, "latin1")),
  uri: (value: string) => tlv(0x86, Buffer.from(value, "latin1")),
  otherName: () => tlv(0xa0, oid("1.3.6.1.4.1.311.20.2.3"), tlv(0xa0, tlv(0x0c, Buffer.from("u")))),
  directoryName: () => tlv(0xa4, name(cn("dir"))),
  registeredId: () => tlv(0x88, Buffer.from([0x2a, 0x03])),
};

export const extension = (type: string, value: Buffer, critical = false): Buffer =>
  seq(oid(type), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));

export const subjectAltName = (...names: Buffer[]): Buffer =>
  extension(OID.subjectAltName, seq(...names));

export const basicConstraints = (ca: boolean): Buffer =>
  extension(OID.basicConstraints, seq(...(ca ? [tlv(0x01, Buffer.from([0xff]))] : [])), true);

export interface CsrParts {
  readonly subject?: Buffer;
  /** Each entry is one extensionRequest attribute holding these extensions. */
  readonly extensionRequests?: readonly (readonly Buffer[])[];
  readonly key?: KeyObject;
}

let defaultKey: KeyObject | undefined;
const ecKey = (): KeyObject =>
  (defaultKey ??= generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey);

function signature(key: KeyObject): { algorithm: Buffer; sign: (data: Buffer) => Buffer } {
  if (key.asymmetricKeyType === "ed25519") {
    return { algorithm: seq(oid("1.3.101.112")), sign: (data) => sign(null, data, key) };
  }
  if (key.asymmetricKeyType === "ec") {
    return {
      algorithm: seq(oid("1.2.840.10045.4.3.2")),
      sign: (data) => sign("sha256", data, key),
    };
  }
  return {
    algorithm: seq(oid("1.2.840.113549.1.1.11"), tlv(0x05)),
    sign: (data) => sign("sha256", data, key),
  };
}

/** PEM of 64-column base64 with no trailing newline, as the requirer libraries publish CSRs. */
export const pemText = (label: string, der: Buffer): string =>
  `-----BEGIN ${label}-----\n${(der.toString("base64").match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----`;
const pem = (label: string, der: Buffer): string => `${pemText(label, der)}\n`;

/** A signed PKCS#10 request, PEM. */
export function buildCsr(parts: CsrParts = {}): string {
  const key = parts.key ?? ecKey();
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const requests = (parts.extensionRequests ?? []).map((extensions) =>
    seq(oid(OID.extensionRequest), set(seq(...extensions))),
  );
  const info = seq(
    tlv(0x02, Buffer.from([0])),
    parts.subject ?? name(cn("test.example")),
    spki,
    tlv(0xa0, ...requests),
  );
  const signer = signature(key);
  return pem(
    "CERTIFICATE REQUEST",
    seq(info, signer.algorithm, tlv(0x03, Buffer.from([0]), signer.sign(info))),
  );
}

export const generalizedTime = (date: Date): Buffer =>
  tlv(
    0x18,
    Buffer.from(
      date
        .toISOString()
        .replace(/[-:T]/g, "")
        .replace(/\.\d+Z$/, "Z"),
    ),
  );

export interface CertificateParts {
  readonly subject?: Buffer;
  readonly extensions?: readonly Buffer[];
  readonly key?: KeyObject;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** A self-signed v3 certificate, DER. */
export function buildCertificate(parts: CertificateParts = {}): Buffer {
  const key = parts.key ?? ecKey();
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const signer = signature(key);
  const subject = parts.subject ?? name(cn("test.example"));
  const notBefore = parts.notBefore ?? new Date("2026-01-01T00:00:00Z");
  const notAfter = parts.notAfter ?? new Date("2026-04-01T00:00:00Z");
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([1])),
    signer.algorithm,
    subject,
    seq(generalizedTime(notBefore), generalizedTime(notAfter)),
    subject,
    spki,
    ...(parts.extensions === undefined ? [] : [tlv(0xa3, seq(...parts.extensions))]),
  );
  return seq(tbs, signer.algorithm, tlv(0x03, Buffer.from([0]), signer.sign(tbs)));
}
