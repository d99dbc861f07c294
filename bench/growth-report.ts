// Issue 24's rows and section of docs/benchmarks.md: how hooks grow with the relations.
import { fmt } from "./measure.ts";
import type { GrowthResult, GrowthRow } from "./growth.ts";

const yes = (ok: boolean): string => (ok ? "**met**" : "**not met**");
const hook = (row: GrowthRow, prefix: string) => row.hooks.find((h) => h.label.startsWith(prefix));

export function growthTargetRows(result: GrowthResult | undefined): string[] {
  if (result === undefined) return [];
  const at100 = result.rows.find((row) => row.relations === 100);
  const [smallest] = result.rows;
  const largest = result.rows.at(-1);
  const rows: string[] = [];
  if (at100) {
    const changed = hook(at100, "certificates-relation-changed")!;
    const status = hook(at100, "update-status")!;
    rows.push(
      `| Issue 24: at 100 relations, \`certificates-relation-changed\` ≤ 25 tool calls and \`update-status\` ≤ 8 (1,405 and 1,406 before) | ${changed.calls} and ${status.calls} | ${yes(changed.calls <= 25 && status.calls <= 8)} |`,
      `| Issue 24: at 100 relations, the charm's own CPU ≤ 50 ms for each of those hooks | ${fmt(changed.ownMs)} ms and ${fmt(status.ownMs)} ms | ${yes(changed.ownMs <= 50 && status.ownMs <= 50)} |`,
    );
  }
  if (smallest && largest && smallest !== largest) {
    const growth = (prefix: string) => hook(largest, prefix)!.calls - hook(smallest, prefix)!.calls;
    const changed = growth("certificates-relation-changed");
    const status = growth("update-status");
    rows.push(
      `| Issue 24: from ${smallest.relations} to ${largest.relations} relations, neither hook grows by more than 2 tool calls | +${changed} and +${status} | ${yes(changed <= 2 && status <= 2)} |`,
    );
  }
  if (result.baseline !== undefined) {
    const ratios = result.rows.map((row) => ({
      relations: row.relations,
      ratio: hook(row, "full look")!.ownMs / hook(row, "update-status before")!.ownMs,
    }));
    const worst = Math.max(...ratios.map((r) => r.ratio));
    rows.push(
      `| Issue 24: the full look costs no more than 1.1× the reconcile of every relation before the summary | ${ratios.map((r) => `${fmt(r.ratio, 2)}× at ${r.relations}`).join(", ")} | ${yes(worst <= 1.1)} |`,
    );
  }
  return rows;
}

export function growthSection(result: GrowthResult | undefined): string[] {
  if (result === undefined) return [];
  const lines = [
    "## Growth with the number of relations",
    "",
    "Models of N requirer applications × 10 units × 2 CSRs (bench/growth.ts), every other CSR answered, in steady",
    "state: a full look has run and kept the summary in charm state (bench/settle.ts). A relation hook reads its own",
    "relation; update-status reads none; the full look (what `leader-elected`, `upgrade-charm`, `config-changed` and",
    "the hourly `update-status` run) reconciles every relation and rebuilds the summary." +
      (result.baseline === undefined
        ? ""
        : ` The last row of each size is \`update-status\` of the code at ${result.baseline}, which reconciled every relation on every hook, built and run the same way on the same answers.`),
    `Tool calls of one dispatch on the fake tools (juju-log left out); \`own\` = boot + handler CPU with the tools free, medians of ${result.reps} in-process runs, interleaved.`,
    "",
    "| relations | CSRs | hook | tool calls | relation reads | own ms | handler ms |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const row of result.rows) {
    for (const h of row.hooks) {
      const reads = Number.isNaN(h.relationReads) ? "" : String(h.relationReads);
      lines.push(
        `| ${row.relations} | ${row.csrs} | ${h.label} | ${h.calls} | ${reads} | ${fmt(h.ownMs)} | ${fmt(h.handlerCpuMs)} |`,
      );
    }
  }
  lines.push("");
  return lines;
}
