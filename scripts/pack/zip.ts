// A zip writer shaped like Python's zipfile as charmcraft uses it: deflated file entries only,
// no directory entries, "made by" Unix so that readers (Go's archive/zip in Juju, Python's
// zipfile) take the file mode from the high 16 bits of external_attr.
import { open, type FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import * as zlib from "node:zlib";

const deflateRaw = promisify(zlib.deflateRaw);

export interface ZipEntry {
  /** Path inside the archive, "/"-separated, no leading slash. */
  readonly name: string;
  readonly data: Buffer;
  /** Permission bits, e.g. 0o644 or 0o755. */
  readonly mode: number;
}

const S_IFREG = 0o100000;
const MADE_BY_UNIX = 3 << 8;
const VERSION = 20; // 2.0: deflate
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const LIMIT = 0xffffffff;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** zlib.crc32 exists from Node 20.15; older Node 20 releases get the table version. */
export function crc32(data: Buffer): number {
  if (typeof zlib.crc32 === "function") return zlib.crc32(data) >>> 0;
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time in local time, as zipfile writes them (2-second resolution). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

interface Prepared {
  readonly name: Buffer;
  readonly mode: number;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
  readonly body: Buffer;
}

async function prepare(entry: ZipEntry): Promise<Prepared> {
  if (entry.name.startsWith("/") || entry.name.split("/").includes("..")) {
    throw new Error(`zip entry name must be relative and stay inside the archive: ${entry.name}`);
  }
  if (entry.data.length >= LIMIT)
    throw new Error(`${entry.name} needs zip64, which is not written`);
  const deflated = entry.data.length === 0 ? entry.data : await deflateRaw(entry.data);
  // Like zipfile, an empty file is stored; anything else deflated.
  const method = entry.data.length === 0 ? METHOD_STORED : METHOD_DEFLATED;
  return {
    name: Buffer.from(entry.name, "utf8"),
    mode: entry.mode & 0o7777,
    method,
    crc: crc32(entry.data),
    size: entry.data.length,
    body: deflated,
  };
}

function localHeader(p: Prepared, stamp: { time: number; date: number }): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(flags(p), 6);
  h.writeUInt16LE(p.method, 8);
  h.writeUInt16LE(stamp.time, 10);
  h.writeUInt16LE(stamp.date, 12);
  h.writeUInt32LE(p.crc, 14);
  h.writeUInt32LE(p.body.length, 18);
  h.writeUInt32LE(p.size, 22);
  h.writeUInt16LE(p.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, p.name]);
}

function centralHeader(p: Prepared, stamp: { time: number; date: number }, offset: number) {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(MADE_BY_UNIX | VERSION, 4);
  h.writeUInt16LE(VERSION, 6);
  h.writeUInt16LE(flags(p), 8);
  h.writeUInt16LE(p.method, 10);
  h.writeUInt16LE(stamp.time, 12);
  h.writeUInt16LE(stamp.date, 14);
  h.writeUInt32LE(p.crc, 16);
  h.writeUInt32LE(p.body.length, 20);
  h.writeUInt32LE(p.size, 24);
  h.writeUInt16LE(p.name.length, 28);
  // extra length, comment length, disk number start, internal attributes: all 0
  h.writeUInt32LE(((S_IFREG | p.mode) << 16) >>> 0, 38);
  h.writeUInt32LE(offset, 42);
  return Buffer.concat([h, p.name]);
}

/** Bit 11 says the name is UTF-8; zipfile sets it only for names that are not ASCII. */
function flags(p: Prepared): number {
  return p.name.every((b) => b < 0x80) ? 0 : 0x0800;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(count, 8);
  e.writeUInt16LE(count, 10);
  e.writeUInt32LE(size, 12);
  e.writeUInt32LE(offset, 16);
  return e;
}

async function writeAll(file: FileHandle, data: Buffer): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await file.write(data, done, data.length - done);
    done += bytesWritten;
  }
}

/** Writes entries, in the order given, to a new zip file at path; returns its size in bytes. */
export async function writeZip(
  path: string,
  entries: readonly ZipEntry[],
  modified: Date = new Date(),
): Promise<number> {
  const names = new Set<string>();
  for (const entry of entries) {
    if (names.has(entry.name)) throw new Error(`duplicate zip entry ${entry.name}`);
    names.add(entry.name);
  }
  // Deflate runs on libuv's thread pool, so the entries compress in parallel.
  const prepared = await Promise.all(entries.map(prepare));
  const stamp = dosDateTime(modified);
  const file = await open(path, "w");
  try {
    let offset = 0;
    const central: Buffer[] = [];
    for (const p of prepared) {
      if (offset >= LIMIT) throw new Error("archive needs zip64, which is not written");
      central.push(centralHeader(p, stamp, offset));
      const header = localHeader(p, stamp);
      await writeAll(file, header);
      await writeAll(file, p.body);
      offset += header.length + p.body.length;
    }
    const directory = Buffer.concat(central);
    await writeAll(file, directory);
    await writeAll(file, endOfCentralDirectory(prepared.length, directory.length, offset));
    return offset + directory.length + 22;
  } finally {
    await file.close();
  }
}
