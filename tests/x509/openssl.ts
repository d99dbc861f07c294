// The `openssl` CLI and private keys for the test fixtures. Files live in one temporary
// directory per process, removed at exit. Keys are fresh on each makeKey call (RSA 4096 takes
// ~0.3 s); sharedKey memoises one per name when a test only needs "some key of that type".

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type KeyType =
  | "rsa-1024"
  | "rsa-2048"
  | "rsa-3072"
  | "rsa-4096"
  | "ec-p256"
  | "ec-p384"
  | "ec-p521"
  | "ed25519"
  | "ed448"
  | "dsa-2048";

/** The key types a CSR, certificate or CA may have. */
export const SUPPORTED_KEY_TYPES: readonly KeyType[] = [
  "rsa-2048",
  "rsa-3072",
  "rsa-4096",
  "ec-p256",
  "ec-p384",
  "ed25519",
];

/** How the library under test names each key type. */
export const KEY_DESCRIPTIONS: Readonly<Record<KeyType, string>> = {
  "rsa-1024": "RSA 1024",
  "rsa-2048": "RSA 2048",
  "rsa-3072": "RSA 3072",
  "rsa-4096": "RSA 4096",
  "ec-p256": "EC P-256",
  "ec-p384": "EC P-384",
  "ec-p521": "EC P-521",
  ed25519: "Ed25519",
  ed448: "Ed448",
  "dsa-2048": "DSA 2048",
};

let directory: string | undefined;
let fileCounter = 0;

export function workDir(): string {
  if (directory === undefined) {
    const created = mkdtempSync(join(tmpdir(), "x509-fixtures-"));
    directory = created;
    process.on("exit", () => rmSync(created, { recursive: true, force: true }));
  }
  return directory;
}

/** Writes text to a fresh file of the work directory and returns its path. */
export function workFile(name: string, content = ""): string {
  const path = join(workDir(), `${++fileCounter}-${name}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

export function openssl(args: readonly string[]): string {
  return execFileSync("openssl", args, {
    encoding: "utf8",
    cwd: workDir(),
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const GENPKEY_ARGS: Readonly<Record<Exclude<KeyType, "dsa-2048">, readonly string[]>> = {
  "rsa-1024": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
  "rsa-2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  "rsa-3072": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"],
  "rsa-4096": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
  "ec-p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "ec-p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  "ec-p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
  ed25519: ["-algorithm", "ED25519"],
  ed448: ["-algorithm", "ED448"],
};

let dsaParams: string | undefined;

/** A fresh PKCS#8 private key in PEM. */
export function makeKey(type: KeyType = "ec-p256"): string {
  if (type === "dsa-2048") {
    dsaParams ??= workFile(
      "dsa-params.pem",
      openssl(["genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048"]),
    );
    return openssl(["genpkey", "-quiet", "-paramfile", dsaParams]);
  }
  return openssl(["genpkey", "-quiet", ...GENPKEY_ARGS[type]]);
}

const shared = new Map<string, string>();

/** One key per (type, name) for the whole process: for tests that need any key of a type. */
export function sharedKey(type: KeyType, name = "default"): string {
  const id = `${type}/${name}`;
  let key = shared.get(id);
  if (key === undefined) {
    key = makeKey(type);
    shared.set(id, key);
  }
  return key;
}

/** The SubjectPublicKeyInfo PEM of a private key. */
export function publicKeyOf(keyPem: string): string {
  return openssl(["pkey", "-in", workFile("key.pem", keyPem), "-pubout"]);
}
