// The unit's own files under <charm dir>/.state/<model uuid>/<unit>/: its private key (never in relation
// data) and the requests and certificates it holds. Python charms keep these in Juju secrets.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const StoredRequest = z.object({
  commonName: z.string(),
  isCa: z.boolean(),
  csr: z.string(),
});
export type StoredRequest = z.infer<typeof StoredRequest>;

const StoredCertificate = z.object({
  csr: z.string(),
  certificate: z.string(),
  ca: z.string(),
  chain: z.array(z.string()),
});
export type StoredCertificate = z.infer<typeof StoredCertificate>;

const StoredState = z.object({
  keyType: z.enum(["rsa", "ec", "ed25519"]),
  requests: z.array(StoredRequest),
  accepted: z.array(StoredCertificate),
});
export type StoredState = z.infer<typeof StoredState>;

export class StateDir {
  readonly path: string;

  constructor(charmDir: string, modelUuid: string, unitName: string) {
    this.path = join(charmDir, ".state", modelUuid, unitName.replace("/", "-"));
  }

  #file(name: string): string {
    return join(this.path, name);
  }

  readKey(): string | undefined {
    const f = this.#file("private-key.pem");
    return existsSync(f) ? readFileSync(f, "utf8") : undefined;
  }

  writeKey(pem: string): void {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    writeFileSync(this.#file("private-key.pem"), pem, { mode: 0o600 });
  }

  read(): StoredState | undefined {
    const f = this.#file("state.json");
    if (!existsSync(f)) return undefined;
    return StoredState.parse(JSON.parse(readFileSync(f, "utf8")));
  }

  write(state: StoredState): void {
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
    writeFileSync(this.#file("state.json"), JSON.stringify(state, null, 2) + "\n");
  }
}
