// How hooks grow with the number of relations (issue 24): tool calls and the charm's own time of
// certificates-relation-changed, update-status and the full look (leader-elected), each in
// steady state with the summary kept, beside the reconcile of every relation the charm ran on
// every hook before (the code at BASELINE_REVISION, bundled the same way and run on the same
// answers in the same run).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions } from "../scripts/bundle-options.mjs";
import { runFake, type EventSpec, type FakeTools } from "./fake-tools.ts";
import { median } from "./measure.ts";
import { buildModel, CHARM_DIR, type BenchModel } from "./model.ts";
import type { CsrFactory } from "./csrs.ts";
import { keepSummary } from "./settle.ts";

/** The last commit whose hooks reconciled every relation: "today's reconcile" of issue 24. */
export const BASELINE_REVISION = "1703783";
const BASELINE_DIR = join(CHARM_DIR, "build/bench-baseline");
const BASELINE_ENTRY = join(BASELINE_DIR, "out/bench-inprocess.mjs");

export interface GrowthRow {
  readonly relations: number;
  readonly csrs: number;
  readonly hooks: readonly {
    readonly label: string;
    readonly calls: number;
    readonly relationReads: number;
    readonly ownMs: number;
    readonly handlerCpuMs: number;
  }[];
}

export interface GrowthResult {
  readonly rows: readonly GrowthRow[];
  readonly reps: number;
  /** Undefined when the baseline could not be built (no git history here). */
  readonly baseline: string | undefined;
}

type InProcess = (
  tools: FakeTools,
  answers: string,
  event: EventSpec,
  label: string,
  command?: readonly string[],
) => Promise<Record<string, number>>;

/** The in-process runner of the baseline revision, bundled from its sources; false without git. */
async function buildBaseline(): Promise<boolean> {
  rmSync(BASELINE_DIR, { recursive: true, force: true });
  mkdirSync(BASELINE_DIR, { recursive: true });
  try {
    const archive = execFileSync(
      "git",
      ["archive", BASELINE_REVISION, "src", "bench/inprocess-entry.ts"],
      { cwd: CHARM_DIR, maxBuffer: 64 * 1024 * 1024 },
    );
    execFileSync("tar", ["-x", "-C", BASELINE_DIR], { input: archive });
  } catch {
    return false;
  }
  await build({
    ...bundleOptions,
    absWorkingDir: BASELINE_DIR,
    nodePaths: [join(CHARM_DIR, "node_modules")],
    entryPoints: { "bench-inprocess": "bench/inprocess-entry.ts" },
    outdir: join(BASELINE_DIR, "out"),
    splitting: true,
    outExtension: { ".js": ".mjs" },
  });
  return existsSync(BASELINE_ENTRY);
}

const LABELS = {
  changed: "certificates-relation-changed",
  status: "update-status",
  full: "full look (leader-elected)",
  baseline: `update-status before the summary (${BASELINE_REVISION})`,
} as const;

export async function measureGrowth(
  tools: FakeTools,
  csrs: CsrFactory,
  runInProcess: InProcess,
  sizes: readonly number[],
  reps: number,
  answeredWith: { certificate: string; ca: string },
): Promise<GrowthResult> {
  const baseline = (await buildBaseline()) ? BASELINE_REVISION : undefined;
  const rows: GrowthRow[] = [];
  for (const relations of sizes) {
    const model: BenchModel = await buildModel(
      { relations, unitsPerRelation: 10, csrsPerUnit: 2, answeredWith },
      csrs,
    );
    await keepSummary(tools, model, `growth-${relations}-summary`);
    const answers = tools.answer(model.sim.state(), model.leader, `growth-${relations}`);
    const first = model.relations[0]!;
    const events: [keyof typeof LABELS, EventSpec][] = [
      [
        "changed",
        {
          unit: model.leader,
          name: "certificates-relation-changed",
          relationId: first.id,
          remoteUnit: first.units[0]!,
          remoteApp: first.app,
        },
      ],
      ["status", { unit: model.leader, name: "update-status" }],
      ["full", { unit: model.leader, name: "leader-elected" }],
    ];
    if (baseline) events.push(["baseline", { unit: model.leader, name: "update-status" }]);
    const series = new Map<keyof typeof LABELS, Record<string, number>[]>();
    // Interleaved, so that load on the shared machine hits every hook alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const [key, event] of events) {
        const command = key === "baseline" ? [process.execPath, BASELINE_ENTRY] : undefined;
        const probe = await runInProcess(tools, answers, event, LABELS[key], command);
        series.set(key, [...(series.get(key) ?? []), probe]);
      }
    }
    const hooks: GrowthRow["hooks"][number][] = [];
    for (const [key, event] of events) {
      // The tool calls of the real dispatch (the baseline's are those of the same hook then).
      const calls =
        key === "baseline"
          ? undefined
          : (await runFake(tools, answers, event)).toolCalls.filter((c) => c[0] !== "juju-log");
      const probes = series.get(key)!;
      hooks.push({
        label: LABELS[key],
        calls: calls?.length ?? probes[0]!["calls"] ?? Number.NaN,
        relationReads:
          calls?.filter((c) => c[0] === "relation-get" || c[0] === "relation-list").length ??
          Number.NaN,
        ownMs: median(probes.map((p) => (p["loadedMs"] ?? NaN) + (p["handlerCpuMs"] ?? NaN))),
        handlerCpuMs: median(probes.map((p) => p["handlerCpuMs"] ?? Number.NaN)),
      });
    }
    console.log(
      `  ${relations} relations: ${hooks.map((h) => `${h.label} ${h.calls} calls ${h.ownMs.toFixed(0)} ms`).join("; ")}`,
    );
    rows.push({ relations, csrs: model.csrs.length, hooks });
  }
  return { rows, reps, baseline };
}
