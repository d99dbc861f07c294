// A minimal DER reader: enough to find the parts of a structure by position without loading
// an ASN.1 library. Strict DER only (definite, minimally encoded lengths), as Python's
// `cryptography` demands of what it loads.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DerError";
  }
}

export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  contextConstructed0: 0xa0,
} as const;

/** One tag-length-value element: offsets into the buffer it was read from. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

/** Reads the element starting at `offset`, which must end at or before `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`truncated element at byte ${offset}`);
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`unsupported multi-byte tag at byte ${offset}`);
  const first = der[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError(`indefinite length at byte ${offset} (not DER)`);
    if (count > 4) throw new DerError(`length too large at byte ${offset}`);
    if (offset + 2 + count > limit) throw new DerError(`truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]!;
    if (der[offset + 2]! === 0 || length < 0x80) {
      throw new DerError(`length not minimally encoded at byte ${offset} (not DER)`);
    }
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`element at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** Reads a whole buffer that must be exactly one element. */
export function readOnly(der: Uint8Array): Tlv {
  const tlv = readTlv(der, 0);
  if (tlv.end !== der.length) {
    throw new DerError(`${der.length - tlv.end} extra bytes after the outer element`);
  }
  return tlv;
}

/** The elements inside a constructed element, which must fill it exactly. */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new DerError(`element at byte ${parent.start} is primitive`);
  const children: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(der, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** The whole encoding (tag, length, content) of an element. */
export function encodingOf(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.start, tlv.end - tlv.start);
}

export function contentOf(der: Uint8Array, tlv: Tlv): Buffer {
  return Buffer.from(der.buffer, der.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart);
}

/** Checks the tag and says what was expected when it does not match. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined) throw new DerError(`${what} is missing`);
  if (tlv.tag !== tag) {
    throw new DerError(`${what} has tag 0x${tlv.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  }
  return tlv;
}

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw new DerError("empty object identifier");
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i]!;
    if (value === 0 && byte === 0x80) throw new DerError("object identifier arc not minimal");
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128)
      throw new DerError("object identifier arc too large");
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    } else if (i === content.length - 1) {
      throw new DerError("truncated object identifier");
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join(".");
}

/** The content bytes of an OBJECT IDENTIFIER, for comparing without decoding. */
export function encodeOid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return Uint8Array.from(bytes);
}

/** Is this element an OBJECT IDENTIFIER with exactly this content? */
export function isOid(der: Uint8Array, tlv: Tlv | undefined, content: Uint8Array): boolean {
  if (tlv === undefined || tlv.tag !== TAG.oid) return false;
  if (tlv.end - tlv.contentStart !== content.length) return false;
  for (let i = 0; i < content.length; i++) {
    if (der[tlv.contentStart + i] !== content[i]) return false;
  }
  return true;
}
