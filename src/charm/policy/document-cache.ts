import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// The signing policy's YAML read as plain data, kept in the charm directory (where Juju runs
// the charm, which only it writes) under the digest of the text it came from. Every hook needs
// the policy, and the yaml library costs more to load than the rest of the policy together;
// once the text has been read, later hooks take its data from here. What is taken is checked
// exactly as freshly read data is; a missing, stale or unreadable file only means reading the
// YAML again.

const FILE = ".signing-policy.json";

/** What a text is known by here: its SHA-256, in hex. */
export const digestOf = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The document read earlier from exactly this text, or undefined. */
export function cachedDocument(charmDir: string, text: string): unknown {
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(join(charmDir, FILE), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof stored !== "object" || stored === null) return undefined;
  const entry = stored as { digest?: unknown; document?: unknown };
  return entry.digest === digestOf(text) ? entry.document : undefined;
}

/** Keeps the document of a valid policy for the next hooks; a failure to write costs nothing. */
export function rememberDocument(charmDir: string, text: string, document: unknown): void {
  const path = join(charmDir, FILE);
  try {
    // Written aside and renamed, so a reader never sees half a file.
    writeFileSync(`${path}.new`, JSON.stringify({ digest: digestOf(text), document }), {
      mode: 0o600,
    });
    renameSync(`${path}.new`, path);
  } catch {
    // A read-only charm directory: the YAML is read on each hook instead.
  }
}
