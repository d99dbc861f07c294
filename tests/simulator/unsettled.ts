// What settle() says when the model never quiets down: which hooks kept running, and the usual
// reason, so that a charm that loops is told why rather than only that it did.
import type { HookLogEntry, State } from "./state.ts";

function describeEntry(entry: HookLogEntry): string {
  const about = entry.remoteUnit || entry.remoteApp;
  return `${entry.unit} ${entry.name}${about ? ` (${about})` : ""}`;
}

/** The error settle() throws after maxHooks hooks with work still owed. */
export function unsettledMessage(state: State, maxHooks: number, next: string): string {
  const recent = state.hookLog.slice(-maxHooks).filter((e) => e.kind === "hook");
  const counts = new Map<string, number>();
  for (const entry of recent) {
    const text = describeEntry(entry);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  const most = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([text, n]) => `${text} ×${n}`)
    .join(", ");
  return (
    `model did not settle after ${maxHooks} hooks; next: ${next}. ` +
    `Most run of the last ${recent.length}: ${most}. ` +
    "A hook that changes, each time it runs, the settings whose change runs it loops on Juju " +
    "too: for instance rewriting a peer relation's application data in its -changed, which " +
    "Juju sends to every unit of the application, the writer included."
  );
}
