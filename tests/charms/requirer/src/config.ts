// The charm's config (config.yaml), parsed from `config-get --format=json`, which leaves out
// options that have no value.

import { z } from "zod";
import { LIBRARY_VERSIONS, type LibraryVersion } from "../../../requirers/index.ts";
import type { KeyType } from "../../../requirers/openssl.ts";

export type Mode = "unit" | "app";

export interface RequirerConfig {
  library: LibraryVersion;
  /** 0 = newest. */
  libpatch: number;
  mode: Mode;
  isCa: boolean;
  keyType: KeyType;
  numCertificates: number;
  commonName: string | undefined;
}

const Config = z.object({
  library: z.enum(LIBRARY_VERSIONS).default("charmlibs"),
  libpatch: z.number().int().min(0).default(0),
  mode: z.enum(["unit", "app"]).default("unit"),
  "is-ca": z.boolean().default(false),
  "key-type": z.enum(["rsa", "ec", "ed25519"]).default("rsa"),
  "num-certificates": z.number().int().min(0).max(100).default(1),
  "common-name": z.string().optional(),
});

export type ConfigResult = { ok: true; config: RequirerConfig } | { ok: false; message: string };

export function parseConfig(raw: Record<string, unknown>): ConfigResult {
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `invalid config ${issue?.path.join(".")}: ${issue?.message}` };
  }
  const c = parsed.data;
  const commonName = c["common-name"]?.trim() || undefined;
  if (commonName !== undefined && c["num-certificates"] > 1) {
    return { ok: false, message: "common-name cannot be used with num-certificates > 1" };
  }
  return {
    ok: true,
    config: {
      library: c.library,
      libpatch: c.libpatch,
      mode: c.mode,
      isCa: c["is-ca"],
      keyType: c["key-type"],
      numCertificates: c["num-certificates"],
      commonName,
    },
  };
}

/** The LIBPATCH the emulation should assume, `undefined` for the newest. */
export function libpatchOf(config: RequirerConfig): number | undefined {
  return config.libpatch === 0 ? undefined : config.libpatch;
}
