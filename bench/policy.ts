// The signing policy's cost in hooks (issue 18): the same 2,000-CSR model with no policy and
// with `enforcement: reject`, hooks in steady state (the policy's refusals already published,
// so nothing is written), runs interleaved so that load on the shared machine hits both alike.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { updateState } from "../tests/simulator/state.ts";
import { runFake, type EventSpec, type FakeTools } from "./fake-tools.ts";
import { median } from "./measure.ts";
import { OPERATOR, type BenchModel } from "./model.ts";
import { settleHook } from "./settle.ts";

/**
 * Every requirer is allowed its own names by `"*"`; a tenth of the applications may only have
 * `{unit}` names, which theirs are not, and CA requests are refused everywhere (ca: false).
 */
export function benchPolicy(model: BenchModel): string {
  const strict = model.relations.filter((_, i) => i % 10 === 0).map((relation) => relation.app);
  return [
    "enforcement: reject",
    "applications:",
    '  "*":',
    '    dns: ["*.bench.example"]',
    "    keys: {rsa: 2048, ec: 256, ed25519: true}",
    ...strict.flatMap((app) => [`  ${app}:`, '    dns: ["{unit}.bench.example"]']),
    "",
  ].join("\n");
}

const LABELS = {
  none: "no policy",
  reject: "enforcement: reject",
  cold: "enforcement: reject, the charm directory's policy files gone",
} as const;

/** What hooks keep in the charm directory under a policy (src/charm/policy-*.ts). */
function forget(tools: FakeTools): void {
  for (const file of [".signing-policy.json", ".signing-policy-verdicts.json"]) {
    rmSync(join(tools.dir, "charm", file), { force: true });
  }
}

export interface PolicyVariant {
  readonly label: string;
  readonly event: string;
  /** Median own time (process start to entry, plus the dispatch's CPU), tools free. */
  readonly ownMs: number;
  readonly handlerCpuMs: number;
  readonly calls: number;
  readonly writes: number;
}

export interface PolicyResult {
  readonly csrs: number;
  readonly refusals: number;
  readonly reps: number;
  readonly variants: readonly PolicyVariant[];
  /** The same calls with and without a policy, for each hook. */
  readonly sameCalls: boolean;
}

type InProcess = (
  tools: FakeTools,
  answers: string,
  event: EventSpec,
  label: string,
) => Promise<Record<string, number>>;

/** Runs a full look on the leader, committed: the policy's refusals published, the summary kept. */
async function settle(tools: FakeTools, model: BenchModel, name: string): Promise<number> {
  const ours = await settleHook(tools, model, "leader-elected", name);
  let refusals = 0;
  for (const bag of ours.values()) {
    refusals += (JSON.parse(bag["request_errors"] ?? "[]") as unknown[]).length;
  }
  return refusals;
}

/** Sets the bench policy on the model and publishes its refusals, as the first hook would. */
export async function applyPolicy(tools: FakeTools, model: BenchModel): Promise<number> {
  updateState(model.sim.dir, (state) => {
    state.applications[OPERATOR]!.config["signing-policy"] = benchPolicy(model);
  });
  return settle(tools, model, "policy-settle");
}

export async function measurePolicy(
  tools: FakeTools,
  model: BenchModel,
  runInProcess: InProcess,
  reps: number,
): Promise<PolicyResult> {
  // Both in steady state: a full look has kept the summary, before and after the policy is set.
  await settle(tools, model, "policy-none-settle");
  const plain = tools.answer(model.sim.state(), model.leader, "policy-none");
  const refusals = await applyPolicy(tools, model);
  const rejecting = tools.answer(model.sim.state(), model.leader, "policy-reject");
  const first = model.relations[0]!;
  const events: EventSpec[] = [
    { unit: model.leader, name: "update-status" },
    {
      unit: model.leader,
      name: "certificates-relation-changed",
      relationId: first.id,
      remoteUnit: first.units[0]!,
      remoteApp: first.app,
    },
  ];
  const variants: PolicyVariant[] = [];
  let sameCalls = true;
  for (const event of events) {
    const series = {
      none: [] as Record<string, number>[],
      reject: [] as Record<string, number>[],
      cold: [] as Record<string, number>[],
    };
    for (let rep = 0; rep < reps; rep++) {
      series.none.push(await runInProcess(tools, plain, event, `${event.name}, no policy`));
      series.reject.push(await runInProcess(tools, rejecting, event, `${event.name}, reject`));
      // As on a new pod (Kubernetes): the policy's document and verdicts kept in the charm
      // directory are gone; the summary in charm state is not.
      forget(tools);
      series.cold.push(await runInProcess(tools, rejecting, event, `${event.name}, reject, cold`));
    }
    const reject = await runFake(tools, rejecting, event);
    const checks = { none: await runFake(tools, plain, event), reject, cold: reject };
    for (const [label, run] of Object.entries(checks)) {
      if (run.exitCode !== 0) throw new Error(`${event.name}, ${label}: ${run.stderr}`);
    }
    // The status message differs (it counts the refusals); what is read must not.
    const reads = (calls: string[][]) =>
      JSON.stringify(calls.filter((call) => !["status-set", "juju-log"].includes(call[0]!)));
    sameCalls &&=
      reads(checks.none.toolCalls) === reads(checks.reject.toolCalls) &&
      checks.none.toolCalls.length === checks.reject.toolCalls.length;
    for (const [label, probes] of Object.entries(series) as [
      keyof typeof series,
      typeof series.none,
    ][]) {
      const calls = checks[label].toolCalls;
      variants.push({
        label: LABELS[label],
        event: event.name,
        ownMs: median(
          probes.map((p) => (p["loadedMs"] ?? Number.NaN) + (p["handlerCpuMs"] ?? Number.NaN)),
        ),
        handlerCpuMs: median(probes.map((p) => p["handlerCpuMs"] ?? Number.NaN)),
        calls: calls.length,
        writes: calls.filter((call) => call[0] === "relation-set").length,
      });
    }
    console.log(
      `  ${event.name}: ${variants
        .slice(-3)
        .map((v) => `${v.label} ${v.ownMs.toFixed(0)} ms`)
        .join(", ")}`,
    );
  }
  return { csrs: model.csrs.length, refusals, reps, variants, sameCalls };
}
