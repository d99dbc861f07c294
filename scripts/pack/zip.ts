// The .charm zip, written by yazl (see docs/packaging.md for why yazl). What Juju and charmcraft
// need of it, and how we know:
// - File entries only. charmcraft's build_zip (charmcraft/utils/file.py) writes every file under
//   the prime dir and no directory; Juju's unit agent expands the archive with juju/utils
//   zip.ExtractAll (internal/charm/charmarchive.go ExpandTo), which makes each file's parent
//   directories itself (zip/zip.go extractor.extract: os.MkdirAll).
// - Unix modes. Go's archive/zip takes a file's mode from the high 16 bits of the external
//   attributes only when "made by" says Unix (src/archive/zip/struct.go FileHeader.Mode), and
//   ExtractAll creates the file with exactly those permission bits: a zero mode would be a file
//   no one can read. yazl writes "made by" Unix and `mode << 16` as the external attributes.
// - Deflated entries, in the order given, so that two packs of the same tree list alike.
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";

export interface ZipEntry {
  /** Path inside the archive, "/"-separated, no leading slash. */
  readonly name: string;
  readonly data: Buffer;
  /** Permission bits, e.g. 0o644 or 0o755. */
  readonly mode: number;
}

/** st_mode's "regular file" type bits: readers that see a type take the entry for a file. */
const S_IFREG = 0o100000;

/** Writes entries, in the order given, to a new zip file at path; returns its size in bytes. */
export async function writeZip(
  path: string,
  entries: readonly ZipEntry[],
  modified: Date = new Date(),
): Promise<number> {
  const names = new Set<string>();
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`duplicate zip entry ${entry.name}`);
    names.add(entry.name);
    // yazl refuses an absolute name or one with a ".." segment; it deflates each buffer on
    // libuv's thread pool as it is added, so the entries compress in parallel.
    zip.addBuffer(entry.data, entry.name, {
      mode: S_IFREG | (entry.mode & 0o7777),
      mtime: modified,
      compress: true,
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return (await stat(path)).size;
}
