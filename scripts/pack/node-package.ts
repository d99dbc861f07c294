// One npm package tarball fetched under a pinned integrity, and one file taken out of it.
// pacote (npm's own fetcher) does the download and the check: it refuses a registry package
// whose published dist.integrity is not the pin before downloading, and any tarball whose bytes
// hash otherwise while it reads them, so a tampered tarball never reaches the tar reader.
import pacote from "pacote";
import { Parser } from "tar";
import { z } from "zod";
import type { NpmFetchSettings } from "./npm-settings.ts";

/** The tarball's bytes are not the ones pinned; `actual` is their integrity as pacote saw it. */
export class IntegrityMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
    options: { cause: unknown },
  ) {
    super(`integrity expected ${expected}, got ${actual}`, options);
  }
}

/** ssri's and cacache's EINTEGRITY carry what they found; pacote's registry check says it in prose. */
const IntegrityError = z.object({
  code: z.literal("EINTEGRITY"),
  found: z.unknown().optional(),
});

/**
 * The tarball `spec` names (a registry `name@version`, or `file:` for a local tarball), only if
 * its integrity is `integrity`; an `IntegrityMismatch` otherwise, anything else as pacote threw it.
 */
export async function fetchPinnedTarball(
  spec: string,
  integrity: string,
  settings: NpmFetchSettings,
): Promise<Buffer> {
  try {
    return await pacote.tarball(spec, { ...settings, integrity });
  } catch (error) {
    const mismatch = IntegrityError.safeParse(error);
    if (!mismatch.success) throw error;
    const found =
      mismatch.data.found !== undefined
        ? String(mismatch.data.found)
        : (await pacote.manifest(spec, settings))._integrity;
    throw new IntegrityMismatch(integrity, found, { cause: error });
  }
}

/** The regular file at `path` in a .tgz (or plain tar), or undefined when there is none. */
export function readFileFromTarball(tarball: Buffer, path: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let found: Buffer | undefined;
    const parser = new Parser({
      strict: true,
      filter: (entryPath, entry) =>
        entryPath === path &&
        "type" in entry &&
        (entry.type === "File" || entry.type === "OldFile"),
      onReadEntry: (entry) => {
        const chunks: Buffer[] = [];
        entry.on("data", (chunk: Buffer) => chunks.push(chunk));
        entry.on("end", () => (found = Buffer.concat(chunks)));
      },
    });
    parser.on("error", reject);
    parser.on("end", () => resolve(found));
    parser.end(tarball);
  });
}
