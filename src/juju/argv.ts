/**
 * The most one argv element may take, its terminating NUL included: Linux's MAX_ARG_STRLEN
 * (32 pages of 4 KiB, include/uapi/linux/binfmts.h). Past it, execve fails with E2BIG and the
 * hook tool never runs. The limit counts bytes, and a tool's argv reaches the kernel as UTF-8.
 */
export const MAX_ARG_STRLEN = 131072;

/**
 * Cuts text into pieces that each fit one argv element after `overheadBytes` of other text in
 * that same element, cutting only between characters so every piece is whole UTF-8.
 */
export function splitForArgv(text: string, overheadBytes = 0): string[] {
  const room = MAX_ARG_STRLEN - 1 - overheadBytes;
  if (room < 4) throw new RangeError("no room left in the argv element for any character");
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= room) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + room, bytes.length);
    // Step back over UTF-8 continuation bytes (10xxxxxx) to the start of a character.
    if (end < bytes.length) while ((bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(bytes.toString("utf8", start, end));
    start = end;
  }
  return pieces;
}
