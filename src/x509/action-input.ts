import {
  CERTIFICATE,
  CERTIFICATE_REQUEST,
  PRIVATE_KEY_MESSAGE,
  PemError,
  mentionsPrivateKey,
  readOnePem,
  readPems,
  type PemBlock,
  type PemLabel,
} from "./pem.ts";

// What an operator types as an action parameter: base64 of a PEM file (`base64 -w0 file.pem`,
// or wrapped `base64` output), or the PEM itself. Each error names the parameter.

/** Decoded size limit per input: a long chain is a few KiB, so this only stops accidents. */
export const MAX_DECODED_BYTES = 64 * 1024;
/**
 * Decoded size limit of a bundle of certificates answered in one run: a few thousand leaf
 * certificates. It comes through `juju run --params`, a file the client reads as YAML and sends
 * over the API (juju/juju cmd/juju/action/run.go, enqueueActions), so no argv limit applies.
 */
export const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

/** An action parameter we cannot use; `input` is the parameter's name. */
export class ActionInputError extends Error {
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`${input}: ${reason}`);
    this.name = "ActionInputError";
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });
const limitText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;

/** The PEM text inside an action parameter: base64-decoded when it is base64, as is when PEM. */
export function decodeActionText(
  input: string,
  value: string,
  maxBytes: number = MAX_DECODED_BYTES,
): string {
  const limit = limitText(maxBytes);
  // A private key is refused before anything else so that no later message can hint at it.
  if (mentionsPrivateKey(value)) throw new ActionInputError(input, PRIVATE_KEY_MESSAGE);
  const trimmed = value.trim();
  if (trimmed === "") throw new ActionInputError(input, "is empty");

  if (trimmed.includes("-----BEGIN")) {
    if (Buffer.byteLength(trimmed, "utf8") > maxBytes) {
      throw new ActionInputError(input, `is larger than the ${limit} limit`);
    }
    return trimmed;
  }

  // Checked before stripping whitespace, so a huge value costs nothing more than its length.
  if (trimmed.length > Math.ceil((maxBytes * 4) / 3) * 2) {
    throw new ActionInputError(input, `is larger than the ${limit} limit`);
  }
  const compact = trimmed.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new ActionInputError(
      input,
      "not valid base64 or PEM (give the PEM file itself, or `base64 -w0` of it)",
    );
  }
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length > maxBytes) {
    throw new ActionInputError(
      input,
      `is larger than the ${limit} limit once base64-decoded (${bytes.length} bytes)`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ActionInputError(
      input,
      "decodes from base64 to binary data, not PEM text (was it DER? convert it to PEM first)",
    );
  }
  if (mentionsPrivateKey(text)) throw new ActionInputError(input, PRIVATE_KEY_MESSAGE);
  if (text.trim() === "") throw new ActionInputError(input, "is empty once base64-decoded");
  if (!text.includes("-----BEGIN")) {
    throw new ActionInputError(
      input,
      "decodes from base64 to text that holds no PEM block (give base64 of the PEM file)",
    );
  }
  return text;
}

function withInput<T>(input: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PemError) throw new ActionInputError(input, error.message);
    throw error;
  }
}

/** Exactly one PEM block of `label` from an action parameter. */
export function readActionPem(input: string, value: string, label: PemLabel): PemBlock {
  const text = decodeActionText(input, value);
  return withInput(input, () => readOnePem(text, label));
}

/** One or more PEM blocks, all of `label`, from an action parameter (a chain, say). */
export function readActionPems(input: string, value: string, label: PemLabel): PemBlock[] {
  const text = decodeActionText(input, value);
  return withInput(input, () => readPems(text, label));
}

export const readActionCertificate = (input: string, value: string): PemBlock =>
  readActionPem(input, value, CERTIFICATE);
export const readActionCertificates = (input: string, value: string): PemBlock[] =>
  readActionPems(input, value, CERTIFICATE);
export const readActionCsr = (input: string, value: string): PemBlock =>
  readActionPem(input, value, CERTIFICATE_REQUEST);

/** The certificates of a bundle already decoded with `decodeActionText`. */
export function readCertificateBundle(input: string, text: string): PemBlock[] {
  return withInput(input, () => readPems(text, CERTIFICATE));
}

export interface DecodeOptions {
  /** Accept one or more blocks (a chain) instead of exactly one. */
  readonly many?: boolean;
}

/**
 * The canonical PEM text of an action parameter, after checking it holds exactly one block of
 * `label` (or, with `many`, one or more): blocks joined by "\n", no trailing newline.
 */
export function decodeActionInput(
  input: string,
  value: string,
  label: PemLabel,
  options: DecodeOptions = {},
): string {
  const blocks =
    options.many === true
      ? readActionPems(input, value, label)
      : [readActionPem(input, value, label)];
  return blocks.map((b) => b.pem).join("\n");
}
