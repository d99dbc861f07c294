// The signing policy's rows and section of docs/benchmarks.md (issue 18).
import { fmt } from "./measure.ts";
import type { PolicyResult } from "./policy.ts";

const yes = (ok: boolean): string => (ok ? "**met**" : "**not met**");

function ratios(result: PolicyResult): { event: string; ratio: number; cold: number }[] {
  const events = [...new Set(result.variants.map((v) => v.event))];
  return events.map((event) => {
    const of = (label: string) =>
      result.variants.find((v) => v.event === event && v.label === label)!;
    const none = of("no policy");
    return {
      event,
      ratio: of("enforcement: reject").ownMs / none.ownMs,
      cold: of("enforcement: reject, the charm directory's policy files gone").ownMs / none.ownMs,
    };
  });
}

export function policyTargetRows(result: PolicyResult | undefined): string[] {
  if (result === undefined) return [];
  const measured = ratios(result);
  const worst = Math.max(...measured.map((m) => m.ratio));
  return [
    `| Signing policy (issue 18): a hook's own time with \`enforcement: reject\` at ${result.csrs} CSRs ≤ 1.3× the same hook with no policy | ${measured.map((m) => `${m.event} ${fmt(m.ratio, 2)}×`).join(", ")} (with the policy files of the charm directory gone, as on a new pod: ${measured.map((m) => `${fmt(m.cold, 2)}×`).join(", ")}) | ${yes(worst <= 1.3)} |`,
    `| Signing policy: no extra tool call (the same reads with a policy as without; none loads policy code without one, tests/perf/bundle.test.ts) | ${result.sameCalls ? "the same reads in every hook measured" : "**the reads differ**"} | ${yes(result.sameCalls)} |`,
  ];
}

export function policySection(result: PolicyResult | undefined): string[] {
  if (result === undefined) return [];
  const lines = [
    `## Signing policy at ${result.csrs} CSRs`,
    "",
    `The largest model again, once with no policy and once with \`enforcement: reject\` (bench/policy.ts): \`"*"\``,
    "allows every requirer its own names, a tenth of the applications may only have `{unit}` names (theirs are",
    "not), and CA requests are refused (ca: false). The hooks are in steady state: the policy's " +
      `${result.refusals} refusals are already in \`request_errors\`, and the verdicts and the policy's document an earlier hook`,
    "kept in the charm directory are there (src/charm/policy/verdicts.ts, document-cache.ts), and both models keep the",
    "summary in charm state (a full look ran after the policy was set), so update-status judges nothing and the",
    "relation hook judges only its relation's new requests, and neither writes. With the charm directory's files gone",
    "(a new pod on Kubernetes), a hook reads the YAML again and judges its relation afresh; it is shown apart. The",
    "first hook after a policy change is config-changed, a full look, which judges every open request.",
    `Medians of ${result.reps} in-process runs of each, interleaved; \`own\` = boot + handler CPU, tools free.`,
    "",
    "| hook | policy | own ms | handler ms | tool calls | relation-set |",
    "|---|---|---|---|---|---|",
  ];
  for (const v of result.variants) {
    lines.push(
      `| ${v.event} | ${v.label} | ${fmt(v.ownMs)} | ${fmt(v.handlerCpuMs)} | ${v.calls} | ${v.writes} |`,
    );
  }
  lines.push("");
  return lines;
}
