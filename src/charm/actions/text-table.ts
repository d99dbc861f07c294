import type { FittedList } from "./request-view.ts";

// The listings' `format=text`: one line per item, columns aligned, the last column unpadded, a
// count at the end. Rows are made as they are needed, so a listing past the result bound reads
// only what it shows.

const GAP = "  ";
/** Room kept for the count line. */
const FOOTER_ROOM = 200;

// A cell may quote what a requirer wrote (a name in a policy violation): a control character
// there would break the table's lines or drive the operator's terminal.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNPRINTABLE = /[\0-\x1f\x7f-\x9f\u2028\u2029]/g;

const printable = (cell: string): string =>
  cell.replace(UNPRINTABLE, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);

export interface Noun {
  readonly one: string;
  readonly many: string;
}

/**
 * As many rows as fit in `limitBytes` with the header and the count line; `total` is how many
 * items there are, for the count ("3 requests", "listing 100 of 250 requests").
 */
export function fitTable(
  header: readonly string[],
  rows: Iterable<readonly string[]>,
  total: number,
  limitBytes: number,
  noun: Noun,
): FittedList {
  const table: string[][] = [[...header]];
  const last = header.length - 1;
  // Widths in bytes bound the padded size from above (padding counts characters).
  const widths = header.map((cell) => Buffer.byteLength(cell));
  let lastColumnBytes = widths[last]!;
  const size = (): number => {
    const padded = widths.slice(0, last).reduce((sum, width) => sum + width + GAP.length, 0);
    return table.length * (padded + 1) + lastColumnBytes + FOOTER_ROOM;
  };
  for (const row of rows) {
    const line = row.map(printable);
    const before = [...widths];
    line.forEach((cell, i) => {
      if (i < last) widths[i] = Math.max(widths[i]!, Buffer.byteLength(cell));
    });
    const lastBefore = lastColumnBytes;
    lastColumnBytes += Buffer.byteLength(line[last]!);
    table.push(line);
    if (size() > limitBytes) {
      table.pop();
      widths.splice(0, widths.length, ...before);
      lastColumnBytes = lastBefore;
      break;
    }
  }
  const listed = table.length - 1;
  const charWidths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const lines = table.map((line) =>
    line
      .map((cell, i) => (i < last ? cell.padEnd(charWidths[i]!) : cell))
      .join(GAP)
      .trimEnd(),
  );
  const counted = total === 1 ? noun.one : noun.many;
  lines.push(listed < total ? `listing ${listed} of ${total} ${counted}` : `${total} ${counted}`);
  return { text: lines.join("\n"), listed };
}
