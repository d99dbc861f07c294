// PEM text (RFC 7468): find the blocks, check them strictly, print them canonically.
// No message here ever quotes the text it was given: it may hold a private key.

export type PemErrorKind =
  | "empty"
  | "no-pem"
  | "private-key"
  | "wrong-type"
  | "count"
  | "garbage"
  | "malformed"
  | "bad-base64";

/**
 * Text that is not the PEM expected. The message is a fragment meant to follow the name of
 * the input ("certificate: holds a private key; ..."), and never contains the text itself.
 */
export class PemError extends Error {
  constructor(
    readonly kind: PemErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "PemError";
  }
}

export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. "CERTIFICATE". */
  readonly label: string;
  readonly der: Buffer;
  /** Canonical PEM: 64-column base64, "\n" line ends, no trailing newline. */
  readonly pem: string;
}

export const CERTIFICATE = "CERTIFICATE";
export const CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
export type PemLabel = typeof CERTIFICATE | typeof CERTIFICATE_REQUEST;

// Older OpenSSL and Java's keytool write this label; Python's `cryptography` reads it too.
const LABEL_ALIASES: Readonly<Record<string, PemLabel>> = {
  "NEW CERTIFICATE REQUEST": CERTIFICATE_REQUEST,
};

const PRIVATE_KEY_HINT = /PRIVATE\s+KEY|Private-Lines:/i;
const MARKER = /-----(BEGIN|END) ([^\r\n]*?)-----/g;
const LABEL = /^[A-Z0-9][A-Z0-9 #._-]{0,40}$/;

/** True when the text holds anything that looks like a private key, armoured or not. */
export function mentionsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_HINT.test(text);
}

export const PRIVATE_KEY_MESSAGE = "holds a private key; refusing it (it is not echoed or logged)";

/** `-----BEGIN label-----`, the base64 in 64-column lines, `-----END label-----`. */
export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join("\n");
}

// Most callers only need the DER (thousands of CSRs checked on every hook), so the canonical
// text is made on first use.
function pemBlock(label: string, der: Buffer): PemBlock {
  let pem: string | undefined;
  return {
    label,
    der,
    get pem() {
      pem ??= toPem(label, der);
      return pem;
    },
  };
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function checkGap(text: string, from: number, to: number, where: string): void {
  const gap = text.slice(from, to);
  const offset = gap.search(/\S/);
  if (offset !== -1) {
    const line = lineOf(text, from + offset);
    throw new PemError("garbage", `has text that is not PEM ${where} (line ${line})`);
  }
}

/**
 * Every PEM block of the text, in order. Only whitespace may stand before, between and after
 * them. Refuses any private key before looking further.
 */
export function parsePemBlocks(text: string): PemBlock[] {
  if (mentionsPrivateKey(text)) throw new PemError("private-key", PRIVATE_KEY_MESSAGE);
  if (text.trim() === "") throw new PemError("empty", "is empty");

  const blocks: PemBlock[] = [];
  // Where a block begins, as a line number only when a message needs it: counting lines for
  // every block would make a bundle of a thousand certificates cost quadratic time.
  let open: { label: string; bodyStart: number; begin: number } | undefined;
  let previousEnd = 0;
  for (const match of text.matchAll(MARKER)) {
    const [marker, kind, label = ""] = match;
    const index = match.index;
    // Labels are echoed in messages, so only short, plain ones are accepted.
    if (!LABEL.test(label)) {
      throw new PemError(
        "malformed",
        `has a ${kind} line with an unusual label (line ${lineOf(text, index)})`,
      );
    }
    if (kind === "BEGIN") {
      if (open !== undefined) {
        throw new PemError(
          "malformed",
          `block ${blocks.length + 1} (BEGIN ${open.label}, line ${lineOf(text, open.begin)}) has no END line`,
        );
      }
      const where =
        blocks.length === 0
          ? "before the first block"
          : `between blocks ${blocks.length} and ${blocks.length + 1}`;
      checkGap(text, previousEnd, index, where);
      open = { label, bodyStart: index + marker.length, begin: index };
      continue;
    }
    if (open === undefined) {
      throw new PemError(
        "malformed",
        `has END ${label} with no BEGIN (line ${lineOf(text, index)})`,
      );
    }
    if (label !== open.label) {
      throw new PemError(
        "malformed",
        `block ${blocks.length + 1} begins with BEGIN ${open.label} but ends with END ${label}`,
      );
    }
    const der = decodeStrictBase64(text.slice(open.bodyStart, index));
    if (der === undefined) {
      throw new PemError(
        "bad-base64",
        `block ${blocks.length + 1} (${label}, line ${lineOf(text, open.begin)}) is not valid base64`,
      );
    }
    const canonical = LABEL_ALIASES[label] ?? label;
    blocks.push(pemBlock(canonical, der));
    open = undefined;
    previousEnd = index + marker.length;
  }
  if (open !== undefined) {
    throw new PemError(
      "malformed",
      `block ${blocks.length + 1} (BEGIN ${open.label}, line ${lineOf(text, open.begin)}) has no END line`,
    );
  }
  if (blocks.length === 0) {
    throw new PemError("no-pem", "holds no PEM block (no -----BEGIN ...----- line)");
  }
  checkGap(text, previousEnd, text.length, "after the last block");
  return blocks;
}

function describeLabels(blocks: readonly PemBlock[]): string {
  const counts = new Map<string, number>();
  for (const block of blocks) counts.set(block.label, (counts.get(block.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n === 1 ? label : `${n} × ${label}`)).join(", ");
}

/** Every block of the text, all of which must carry `label`; at least one. */
export function readPems(text: string, label: PemLabel): PemBlock[] {
  const blocks = parsePemBlocks(text);
  const wrong = blocks.filter((b) => b.label !== label);
  if (wrong.length > 0) {
    throw new PemError(
      "wrong-type",
      `expected PEM ${label} blocks only, found ${describeLabels(wrong)}` +
        (blocks.length > 1 ? ` among ${blocks.length} blocks` : ""),
    );
  }
  return blocks;
}

/** The one block of the text, which must carry `label`. */
export function readOnePem(text: string, label: PemLabel): PemBlock {
  const plain = readPlainBlock(text, label);
  if (plain !== undefined) return plain;
  const blocks = parsePemBlocks(text);
  if (blocks.length === 1 && blocks[0]!.label !== label) {
    throw new PemError(
      "wrong-type",
      `expected one PEM ${label}, found a ${blocks[0]!.label} instead`,
    );
  }
  if (blocks.length !== 1) {
    const labels = new Set(blocks.map((b) => b.label));
    const found =
      labels.size === 1 && labels.has(label)
        ? `${blocks.length}`
        : `${blocks.length} (${describeLabels(blocks)})`;
    throw new PemError("count", `expected one PEM ${label}, found ${found}`);
  }
  return blocks[0]!;
}

/**
 * The text when it is exactly one block of `label` with nothing around it, as every requirer
 * library and our own output write it; undefined for anything else, which the full scanner then
 * reads and explains. Thousands of CSRs are read on every hook: this skips the scanner's marker
 * search, gap checks and label tests, and accepts exactly what `parsePemBlocks` would.
 */
function readPlainBlock(text: string, label: PemLabel): PemBlock | undefined {
  const header = `-----BEGIN ${label}-----`;
  const footer = `-----END ${label}-----`;
  if (!text.startsWith(header) || !text.endsWith(footer)) return undefined;
  const bodyEnd = text.length - footer.length;
  // The first dash after the header must be the footer's: no other marker in between.
  if (text.indexOf("-", header.length) !== bodyEnd || mentionsPrivateKey(text)) return undefined;
  const der = decodeStrictBase64(text.slice(header.length, bodyEnd));
  return der === undefined ? undefined : pemBlock(label, der);
}

/** The bytes of a block's body, whitespace ignored; undefined when it is empty or not strict. */
function decodeStrictBase64(body: string): Buffer | undefined {
  const compact = body.replace(/\s+/g, "");
  const der = Buffer.from(compact, "base64");
  // Node decodes leniently; strict base64 is exactly what re-encodes to the same text.
  return compact === "" || der.toString("base64") !== compact ? undefined : der;
}
