// Real keys, CSRs, CAs and certificates made with the `openssl` CLI, for any test suite.
// Everything is PEM text. Keys and the openssl runner come from ./openssl.ts.

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { makeKey, openssl, workDir, workFile, type KeyType } from "./openssl.ts";

export {
  KEY_DESCRIPTIONS,
  SUPPORTED_KEY_TYPES,
  makeKey,
  openssl,
  publicKeyOf,
  sharedKey,
  type KeyType,
} from "./openssl.ts";

// Subject values go through `openssl -subj`, where "/" "=" "+" and "\" need escaping.
function subjectArg(parts: readonly (readonly [string, string])[]): string {
  if (parts.length === 0) return "/";
  const escape = (v: string): string => v.replace(/[/\\=+]/g, (c) => `\\${c}`);
  return parts.map(([k, v]) => `/${k}=${escape(v)}`).join("");
}

export interface CsrOptions {
  keyType?: KeyType;
  /** Use this private key instead of a fresh one. */
  key?: string;
  /** Left out of the subject when undefined; default "test.example". */
  commonName?: string | undefined;
  organization?: string;
  /** In openssl's syntax: "DNS:a.example", "IP:10.0.0.1", "email:x@y", "URI:https://x". */
  sans?: readonly string[];
  /** Adds `x500UniqueIdentifier` to the subject like the requirer libraries do. */
  uniqueId?: string;
  /** Digest for the self-signature, e.g. "sha384"; openssl's default otherwise. */
  digest?: string;
  /** `openssl req -sigopt` values, e.g. ["rsa_padding_mode:pss"]. */
  sigopts?: readonly string[];
}

export interface CsrFixture {
  /** The CSR as openssl prints it (trailing newline included). */
  readonly pem: string;
  readonly key: string;
}

export function makeCsr(options: CsrOptions = {}): CsrFixture {
  const key = options.key ?? makeKey(options.keyType ?? "ec-p256");
  const subject: [string, string][] = [];
  if (options.organization !== undefined) subject.push(["O", options.organization]);
  const cn = "commonName" in options ? options.commonName : "test.example";
  if (cn !== undefined) subject.push(["CN", cn]);
  if (options.uniqueId !== undefined) subject.push(["x500UniqueIdentifier", options.uniqueId]);
  const args = ["req", "-new", "-key", workFile("key.pem", key), "-subj", subjectArg(subject)];
  if (options.sans !== undefined && options.sans.length > 0) {
    args.push("-addext", `subjectAltName=${options.sans.join(",")}`);
  }
  if (options.digest !== undefined) args.push(`-${options.digest}`);
  for (const opt of options.sigopts ?? []) args.push("-sigopt", opt);
  return { pem: openssl(args), key };
}

export interface CaFixture {
  /** This CA's certificate. */
  readonly pem: string;
  readonly key: string;
  readonly commonName: string;
  /** This CA's certificate, then its issuers up to the root. */
  readonly chain: readonly string[];
}

export interface ValidityOptions {
  /** Validity in days from now (ignored when notBefore or notAfter is given); default 90 (beyond the charm's 30-day expiry warning). */
  days?: number;
  notBefore?: Date;
  notAfter?: Date;
}

export interface SignOptions extends ValidityOptions {
  /** BasicConstraints CA:TRUE (critical, with keyCertSign) or CA:FALSE; default false. */
  isCa?: boolean;
  /** Leave out BasicConstraints altogether. */
  omitBasicConstraints?: boolean;
  /** Copy the CSR's extensions (SANs); default true. */
  copyExtensions?: boolean;
  /** keyUsage in openssl's syntax; default "critical,keyCertSign,cRLSign" for a CA, none else. */
  keyUsage?: string;
  /** basicConstraints pathlen of a CA. */
  pathLength?: number;
}

function extensions(options: SignOptions, issuerKnown: boolean): string {
  const lines = ["subjectKeyIdentifier=hash"];
  if (issuerKnown) lines.push("authorityKeyIdentifier=keyid");
  if (options.omitBasicConstraints !== true) {
    const pathLength = options.pathLength === undefined ? "" : `,pathlen:${options.pathLength}`;
    lines.push(
      options.isCa === true
        ? `basicConstraints=critical,CA:TRUE${pathLength}`
        : "basicConstraints=critical,CA:FALSE",
    );
  }
  const keyUsage =
    options.keyUsage ?? (options.isCa === true ? "critical,keyCertSign,cRLSign" : undefined);
  if (keyUsage !== undefined) lines.push(`keyUsage=${keyUsage}`);
  return lines.join("\n") + "\n";
}

function opensslTime(date: Date): string {
  // GeneralizedTime YYYYMMDDHHMMSSZ, which `openssl ca` accepts for any year.
  return date
    .toISOString()
    .replace(/[-:T]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return `0x${bytes.toString("hex")}`;
}

function validityArgs(options: ValidityOptions): string[] | undefined {
  if (options.notBefore === undefined && options.notAfter === undefined) return undefined;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 30 * 86_400_000);
  return ["-startdate", opensslTime(notBefore), "-enddate", opensslTime(notAfter)];
}

// `openssl x509 -req` in OpenSSL 3.0 has no -not_before, so explicit dates go through `openssl ca`.
function signWithCa(
  csrPath: string,
  ca: { pem?: string; key: string },
  ext: string,
  dates: string[],
  copy: boolean,
): string {
  const db = workFile("index.txt");
  const config = workFile(
    "ca.cnf",
    [
      "[ca]",
      "default_ca = fixture",
      "[fixture]",
      `database = ${db}`,
      `new_certs_dir = ${workDir()}`,
      `serial = ${workFile("serial", `${serial().slice(2)}\n`)}`,
      "default_md = default",
      "policy = anything",
      `copy_extensions = ${copy ? "copy" : "none"}`,
      "unique_subject = no",
      "email_in_dn = yes",
      "[anything]",
      "",
    ].join("\n"),
  );
  const out = workFile("cert.pem");
  openssl([
    "ca",
    "-batch",
    "-notext",
    "-preserveDN",
    "-config",
    config,
    ...(ca.pem === undefined ? [] : ["-cert", workFile("ca.pem", ca.pem)]),
    "-keyfile",
    workFile("ca.key", ca.key),
    "-in",
    csrPath,
    "-out",
    out,
    "-extfile",
    workFile("ext.cnf", ext),
    ...dates,
  ]);
  return readFileSync(out, "utf8");
}

/** A certificate for the CSR, signed by the CA, with the CSR's subject and (by default) SANs. */
export function signCsr(
  csr: string | CsrFixture,
  ca: { pem: string; key: string },
  options: SignOptions = {},
): string {
  const csrPath = workFile("req.csr", typeof csr === "string" ? csr : csr.pem);
  const ext = extensions(options, true);
  const copy = options.copyExtensions !== false;
  const dates = validityArgs(options);
  if (dates !== undefined) return signWithCa(csrPath, ca, ext, dates, copy);
  const signer = ["-CA", workFile("ca.pem", ca.pem), "-CAkey", workFile("ca.key", ca.key)];
  return x509Req(csrPath, signer, ext, options.days, copy ? ["-copy_extensions", "copy"] : []);
}

/** `openssl x509 -req`: the CSR signed by `signer` (`-CA … -CAkey …`, or `-key …` for itself). */
function x509Req(
  csrPath: string,
  signer: readonly string[],
  ext: string,
  days = 90,
  extra: readonly string[] = [],
): string {
  return openssl([
    "x509",
    "-req",
    "-in",
    csrPath,
    ...signer,
    "-set_serial",
    serial(),
    "-days",
    String(days),
    "-extfile",
    workFile("ext.cnf", ext),
    ...extra,
  ]);
}

export interface CaOptions extends ValidityOptions, Pick<SignOptions, "keyUsage" | "pathLength"> {
  keyType?: KeyType;
  key?: string;
  commonName?: string;
  /** Signs this CA with another (an intermediate); a self-signed root when absent. */
  issuer?: CaFixture;
  /** Make the "CA" without CA:TRUE, to test issuers that are not CAs. */
  notACa?: boolean;
}

let caCounter = 0;

export function makeCa(options: CaOptions = {}): CaFixture {
  const key = options.key ?? makeKey(options.keyType ?? "ec-p256");
  const commonName = options.commonName ?? `Fixture CA ${++caCounter}`;
  const sign: SignOptions = { ...options, isCa: options.notACa !== true };
  if (options.issuer !== undefined) {
    const csr = makeCsr({ key, commonName });
    const pem = signCsr(csr, options.issuer, sign);
    return { pem, key, commonName, chain: [pem, ...options.issuer.chain] };
  }
  const pem = selfSign(key, commonName, sign);
  return { pem, key, commonName, chain: [pem] };
}

function selfSign(key: string, commonName: string, options: SignOptions): string {
  const csr = makeCsr({ key, commonName });
  const dates = validityArgs(options);
  const ext = extensions(options, false);
  if (dates !== undefined) {
    return signWithCa(workFile("req.csr", csr.pem), { key }, ext, ["-selfsign", ...dates], false);
  }
  return x509Req(
    workFile("req.csr", csr.pem),
    ["-key", workFile("key.pem", key)],
    ext,
    options.days,
  );
}

export interface SelfSignedOptions extends SignOptions {
  keyType?: KeyType;
  key?: string;
  commonName?: string;
}

/** A certificate signed by its own key (CA:FALSE unless isCa). */
export function makeSelfSigned(options: SelfSignedOptions = {}): { pem: string; key: string } {
  const key = options.key ?? makeKey(options.keyType ?? "ec-p256");
  return { pem: selfSign(key, options.commonName ?? "self-signed.example", options), key };
}

export interface LeafFixture {
  readonly csr: string;
  readonly key: string;
  readonly pem: string;
}

/** A CSR and the certificate the CA issued for it. */
export function makeLeaf(ca: CaFixture, options: CsrOptions & SignOptions = {}): LeafFixture {
  const csr = makeCsr(options);
  return { csr: csr.pem, key: csr.key, pem: signCsr(csr, ca, options) };
}

/** Prints a certificate or CSR as openssl sees it, for debugging tests. */
export function describe(pem: string, kind: "x509" | "req" = "x509"): string {
  return openssl([kind, "-in", workFile("in.pem", pem), "-noout", "-text"]);
}
