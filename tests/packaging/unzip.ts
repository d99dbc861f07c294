// Unpacks a .charm with Python's zipfile, a reader that is not ours, keeping each file's Unix
// mode the way Juju's unit agent does when it installs a charm.
import { execFileSync } from "node:child_process";
import { z } from "zod";

const EXTRACT = `
import json, os, sys, zipfile
archive, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive) as z:
    bad = z.testzip()
    if bad is not None:
        sys.exit(f"CRC mismatch in {bad}")
    entries = []
    for info in z.infolist():
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o7777
        if info.create_system == 3 and mode:
            os.chmod(path, mode)
        entries.append({
            "name": info.filename,
            "unixMode": info.external_attr >> 16,
            "createSystem": info.create_system,
            "compressType": info.compress_type,
            "size": info.file_size,
            "isDir": info.is_dir(),
        })
json.dump(entries, sys.stdout)
`;

const Entry = z.object({
  name: z.string(),
  /** st_mode as stored: file type bits and permissions. */
  unixMode: z.number(),
  /** 3 is Unix: readers take the mode from external_attr only then. */
  createSystem: z.number(),
  /** 8 is deflate. */
  compressType: z.number(),
  size: z.number(),
  isDir: z.boolean(),
});
export type ZipListing = z.infer<typeof Entry>;

/** Extracts archive into dest (which must exist) and lists what the archive held. */
export function unzipCharm(archive: string, dest: string): ZipListing[] {
  const out = execFileSync("python3", ["-c", EXTRACT, archive, dest], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  return z.array(Entry).parse(JSON.parse(out));
}
