// Just enough of a tar reader to take one file out of an npm package tarball (ustar, with the
// pax and GNU long-name headers npm's packer may write).
import { gunzipSync } from "node:zlib";

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString("utf8");
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/** pax records are "<len> <key>=<value>\n"; only path matters here. */
function paxPath(data: Buffer): string | undefined {
  let rest = data.toString("utf8");
  while (rest.length > 0) {
    const space = rest.indexOf(" ");
    const length = Number(rest.slice(0, space));
    if (!Number.isInteger(length) || length <= 0) return undefined;
    const record = rest.slice(space + 1, length - 1);
    if (record.startsWith("path=")) return record.slice("path=".length);
    rest = rest.slice(length);
  }
  return undefined;
}

export interface TarFile {
  readonly data: Buffer;
  readonly mode: number;
}

/** The regular file at path in a .tgz, or undefined when there is none. */
export function extractFromTgz(tgz: Buffer, path: string): TarFile | undefined {
  const tar = gunzipSync(tgz);
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      longName = paxPath(body);
      continue;
    }
    if (type === "L") {
      longName = field(body, 0, body.length);
      continue;
    }
    const prefix = field(header, 345, 155);
    const name =
      longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    if ((type === "0" || type === "\0") && name === path) {
      return { data: Buffer.from(body), mode: octal(header, 100, 8) };
    }
  }
  return undefined;
}
