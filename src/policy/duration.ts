// Validity bounds as operators write them: a whole number and a unit, `90d`, `2160h`, `45m`.

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60 };
/** A hundred years: beyond that a bound says nothing. */
const MAX_SECONDS = 100 * 365 * 86_400;

export type DurationReading =
  | { readonly ok: true; readonly seconds: number }
  | { readonly ok: false; readonly problem: string };

export function readDuration(text: string): DurationReading {
  const match = /^([1-9]\d{0,9})([dhm])$/.exec(text);
  if (!match) {
    return { ok: false, problem: "must be a whole number of days, hours or minutes: 90d, 2160h" };
  }
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]!]!;
  if (seconds > MAX_SECONDS) return { ok: false, problem: "is longer than a hundred years" };
  return { ok: true, seconds };
}

/** "90d", "36h", "90m" or "61s": the largest unit that divides the span. */
export function durationText(seconds: number): string {
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}
