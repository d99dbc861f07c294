// Real keys, CSRs and certificates from the `openssl` CLI, for the tests and the requirer test
// charm. Synchronous because the charm is a short synchronous process.

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type KeyType = "rsa" | "ec" | "ed25519";

function openssl(args: readonly string[], cwd?: string): string {
  return execFileSync("openssl", args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd === undefined ? {} : { cwd }),
  });
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "tls-requirer-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KEY_ARGS: Record<KeyType, readonly string[]> = {
  rsa: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  ec: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  ed25519: ["-algorithm", "ED25519"],
};

/** A PKCS#8 private key in PEM. */
export function generatePrivateKey(type: KeyType): string {
  return openssl(["genpkey", ...KEY_ARGS[type]]);
}

export function publicKeyOf(privateKeyPem: string): string {
  return withTempDir((dir) => {
    writeFileSync(join(dir, "key.pem"), privateKeyPem, { mode: 0o600 });
    return openssl(["pkey", "-in", "key.pem", "-pubout"], dir);
  });
}

export interface CsrSubject {
  commonName?: string;
  sansDns?: readonly string[];
  /**
   * `x500UniqueIdentifier` like the libraries add (a fresh UUID by default), so that a renewed
   * request for the same names is a different CSR. `null` leaves it out.
   */
  uniqueId?: string | null;
}

function subjectArg(s: CsrSubject): string {
  const esc = (v: string): string => v.replace(/[/\\=+]/g, (c) => `\\${c}`);
  const parts: string[] = [];
  if (s.commonName !== undefined) parts.push(`/CN=${esc(s.commonName)}`);
  const uid = s.uniqueId === undefined ? randomUUID() : s.uniqueId;
  if (uid !== null) parts.push(`/x500UniqueIdentifier=${esc(uid)}`);
  return parts.length > 0 ? parts.join("") : "/";
}

/** A CSR in PEM as openssl prints it (trailing newline included). */
export function generateCsr(privateKeyPem: string, subject: CsrSubject): string {
  return withTempDir((dir) => {
    writeFileSync(join(dir, "key.pem"), privateKeyPem, { mode: 0o600 });
    const args = ["req", "-new", "-key", "key.pem", "-subj", subjectArg(subject)];
    const sans = subject.sansDns ?? [];
    if (sans.length > 0)
      args.push("-addext", `subjectAltName=${sans.map((d) => `DNS:${d}`).join(",")}`);
    return openssl(args, dir);
  });
}

export interface CertificateAuthority {
  keyPem: string;
  certificatePem: string;
}

export function generateCa(commonName = "test CA", keyType: KeyType = "ec"): CertificateAuthority {
  const keyPem = generatePrivateKey(keyType);
  const certificatePem = withTempDir((dir) => {
    writeFileSync(join(dir, "ca.key"), keyPem, { mode: 0o600 });
    return openssl(
      [
        "req",
        "-x509",
        "-new",
        "-key",
        "ca.key",
        "-days",
        "30",
        "-subj",
        `/CN=${commonName}`,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ],
      dir,
    );
  });
  return { keyPem, certificatePem };
}

export interface SignOptions {
  /** BasicConstraints cA of the issued certificate; `undefined` leaves the extension out. */
  isCa?: boolean;
  days?: number;
}

/** Signs a CSR with the CA, copying its SANs, as a provider would. */
export function signCsr(
  csrPem: string,
  ca: CertificateAuthority,
  options: SignOptions = {},
): string {
  return withTempDir((dir) => {
    writeFileSync(join(dir, "req.csr"), csrPem);
    writeFileSync(join(dir, "ca.pem"), ca.certificatePem);
    writeFileSync(join(dir, "ca.key"), ca.keyPem, { mode: 0o600 });
    const ext: string[] = ["subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid"];
    if (options.isCa === true) {
      ext.push("basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign");
    } else if (options.isCa === false) {
      ext.push("basicConstraints=critical,CA:FALSE");
    }
    writeFileSync(join(dir, "ext.cnf"), ext.join("\n") + "\n");
    return openssl(
      [
        "x509",
        "-req",
        "-in",
        "req.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        `0x${randomUUID().replace(/-/g, "").slice(0, 16)}`,
        "-days",
        String(options.days ?? 10),
        "-sha256",
        "-extfile",
        "ext.cnf",
        "-copy_extensions",
        "copy",
      ],
      dir,
    );
  });
}
