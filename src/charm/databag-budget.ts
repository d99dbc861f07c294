import { ActionFailure } from "../juju/index.ts";

/**
 * The most our application databag on one relation may hold, as keys plus values in UTF-8.
 *
 * Juju keeps an application's settings on a relation as one record: one MongoDB document in
 * Juju 3.6 (16 MiB of BSON, which also holds per-key overhead, escaped keys and transaction
 * fields), and in Juju 4 a map whose keys and values are summed at commit and refused past
 * 16 MiB (juju/juju PR #22664). A hook whose commit fails errors again on every retry, so the
 * charm stops at half of that and never finds the exact edge.
 */
export const DATABAG_BUDGET_BYTES = 8 * 1024 * 1024;
const JUJU_LIMIT = "16 MiB";

/** Bytes of a settings map as Juju sums them: every key and value, as UTF-8. */
export function settingsBytes(settings: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(settings)) {
    total += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
  }
  return total;
}

/**
 * Why `settings`, our application databag on `relationLabel` as a write would leave it, must not
 * be written; undefined when it fits the budget.
 */
export function databagBudgetProblem(
  relationLabel: string,
  settings: Readonly<Record<string, string>>,
): string | undefined {
  const bytes = settingsBytes(settings);
  if (bytes <= DATABAG_BUDGET_BYTES) return undefined;
  const mib = (bytes / (1024 * 1024)).toFixed(2);
  return (
    `cannot write our data on relation ${relationLabel}: it would take ${mib} MiB, over the ` +
    `8 MiB this charm allows on one relation (Juju stores it as one record of at most ` +
    `${JUJU_LIMIT}, and a hook that writes past that fails on every retry). A certificate ` +
    `stays there while its request stands: have the requirer withdraw requests it no longer ` +
    `needs, or move some of its units to another application and relation.`
  );
}

/**
 * A write refused for its size. An ActionFailure, so an action that hits it fails with this
 * message and writes nothing; reconcile catches it and keeps what is stored.
 */
export class DatabagBudgetError extends ActionFailure {
  constructor(
    readonly relationLabel: string,
    message: string,
  ) {
    super(message);
    this.name = "DatabagBudgetError";
  }
}

/** Throws DatabagBudgetError unless `settings` fits the budget. */
export function assertWithinDatabagBudget(
  relationLabel: string,
  settings: Readonly<Record<string, string>>,
): void {
  const problem = databagBudgetProblem(relationLabel, settings);
  if (problem !== undefined) throw new DatabagBudgetError(relationLabel, problem);
}
