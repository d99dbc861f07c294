// Counts what the generated tests exercised, reported as test diagnostics (issue 6 asks for
// the figures).
import type { TestContext } from "node:test";

export interface Tally {
  add(name: string, by?: number): void;
  readonly counts: ReadonlyMap<string, number>;
}

export function counter(): Tally {
  const counts = new Map<string, number>();
  return {
    add(name, by = 1) {
      counts.set(name, (counts.get(name) ?? 0) + by);
    },
    counts,
  };
}

/** Writes the figures as a test diagnostic and returns the line written. */
export function report(t: TestContext, title: string, tally: Tally): string {
  const parts = [...tally.counts].map(([name, count]) => `${name}: ${count}`);
  const line = `${title}: ${parts.join(", ")}`;
  t.diagnostic(line);
  return line;
}
