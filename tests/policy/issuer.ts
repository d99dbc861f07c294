// A CA for the policy tests, in-process and fast: CSRs built with node:crypto, certificates
// that copy the CSR's extensions (as `openssl -copy_extensions copy` does) or carry names the
// CSR never asked for, with any validity and CA flag.
import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import { TAG, childrenOf, contentOf, decodeOid, encodingOf, readOnly } from "../../src/x509/der.ts";
import { readOnePem } from "../../src/x509/pem.ts";
import {
  basicConstraints,
  buildCsr,
  cn,
  extension,
  general,
  generalizedTime,
  name,
  oid,
  pemText,
  seq,
  subjectAltName,
  tlv,
} from "../x509/der-builder.ts";

export { general };

export interface TestCa {
  readonly pem: string;
  readonly subject: Buffer;
  readonly key: KeyObject;
}

const ECDSA_WITH_SHA256 = seq(oid("1.2.840.10045.4.3.2"));
const DAY = 86_400_000;

const pem = (label: string, der: Buffer): string => `${pemText(label, der)}\n`;
const time = generalizedTime;

function serial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return tlv(0x02, bytes);
}

function certificate(
  subject: Buffer,
  issuer: Buffer,
  spki: Buffer,
  extensions: readonly Buffer[],
  signer: KeyObject,
  notBefore: Date,
  notAfter: Date,
): string {
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    serial(),
    ECDSA_WITH_SHA256,
    issuer,
    seq(time(notBefore), time(notAfter)),
    subject,
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign("sha256", tbs, signer);
  return pem("CERTIFICATE", seq(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), signature)));
}

export function makeTestCa(commonName = "Policy Test CA"): TestCa {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const subject = name(cn(commonName));
  const spki = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  const keyUsage = extension("2.5.29.15", tlv(0x03, Buffer.from([1, 0x06])), true);
  const now = Date.now();
  const pemText = certificate(
    subject,
    subject,
    spki,
    [basicConstraints(true), keyUsage],
    privateKey,
    new Date(now - DAY),
    new Date(now + 3650 * DAY),
  );
  return { pem: pemText, subject, key: privateKey };
}

/** A fresh EC key for each CSR, as distinct requirer units have. */
export function testCsr(
  options: {
    cn?: string;
    sans?: readonly Buffer[];
    ca?: boolean;
  } = {},
): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const extensions = [
    ...(options.sans === undefined ? [] : [subjectAltName(...options.sans)]),
    ...(options.ca === true ? [basicConstraints(true)] : []),
  ];
  return buildCsr({
    key: privateKey,
    subject: name(...(options.cn === undefined ? [] : [cn(options.cn)])),
    extensionRequests: extensions.length === 0 ? [] : [extensions],
  });
}

/** The CSR's subject, SubjectPublicKeyInfo and requested extensions, as encoded. */
function csrParts(csrPem: string): { subject: Buffer; spki: Buffer; extensions: Buffer[] } {
  const der = readOnePem(csrPem, "CERTIFICATE REQUEST").der;
  const [info] = childrenOf(der, readOnly(der));
  const [, subject, spki, attributes] = childrenOf(der, info!);
  const extensions: Buffer[] = [];
  for (const attribute of attributes === undefined ? [] : childrenOf(der, attributes)) {
    const [type, values] = childrenOf(der, attribute);
    if (decodeOid(contentOf(der, type!)) !== "1.2.840.113549.1.9.14") continue;
    const [list] = childrenOf(der, values!);
    for (const entry of childrenOf(der, list!)) {
      if (entry.tag === TAG.sequence) extensions.push(encodingOf(der, entry));
    }
  }
  return { subject: encodingOf(der, subject!), spki: encodingOf(der, spki!), extensions };
}

export interface IssueOptions {
  /** SAN entries in place of the CSR's. */
  readonly sans?: readonly Buffer[];
  readonly days?: number;
  readonly isCa?: boolean;
}

/** A certificate for the CSR, signed by the CA, valid from a minute ago (60 days by default). */
export function issue(csrPem: string, ca: TestCa, options: IssueOptions = {}): string {
  const { subject, spki, extensions } = csrParts(csrPem);
  const copied = extensions.filter((entry) => {
    const [type] = childrenOf(entry, readOnly(entry));
    const id = decodeOid(contentOf(entry, type!));
    return id !== "2.5.29.19" && (options.sans === undefined || id !== "2.5.29.17");
  });
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 60) * DAY);
  return certificate(
    subject,
    ca.subject,
    spki,
    [
      ...copied,
      ...(options.sans === undefined ? [] : [subjectAltName(...options.sans)]),
      basicConstraints(options.isCa === true),
    ],
    ca.key,
    notBefore,
    notAfter,
  );
}
