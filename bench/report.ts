// docs/benchmarks.md from one bench run: figures, the targets beside them, and how they were taken.
import { fmt } from "./measure.ts";
import type { BatchResult } from "./batch.ts";
import type { GrowthResult } from "./growth.ts";
import { growthSection, growthTargetRows } from "./growth-report.ts";
import type { PolicyResult } from "./policy.ts";
import { policySection, policyTargetRows } from "./policy-report.ts";
import type { PlacedCsr } from "./model.ts";

export interface OpResult {
  readonly key: string;
  readonly label: string;
  readonly calls: readonly (readonly string[])[];
  readonly duplicates: readonly string[];
  /** Set when the action failed the one accepted way: a result over Juju's size cap. */
  readonly failure?: string;
  /** Undefined when the simulator did not run this size. */
  readonly sameCallsAsSimulator: boolean | undefined;
  readonly simWallMs: number;
  readonly fakeWallMs: number;
  readonly charmCpuMs: number;
  readonly charmLifeMs: number;
  readonly handlerMs: number;
  readonly handlerCpuMs: number;
  readonly loadedMs: number;
}

export interface SizeResult {
  readonly relations: number;
  readonly unitsPerRelation: number;
  readonly csrsPerUnit: number;
  readonly csrs: number;
  readonly answered: number;
  readonly fakeReps: number;
  readonly inprocessReps: number;
  readonly simReps: number;
  readonly target: PlacedCsr;
  readonly ops: readonly OpResult[];
}

export interface Report {
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly date: string;
    readonly kernel: string;
  };
  readonly quick: boolean;
  readonly baseline: {
    readonly nodeMs: number;
    readonly stopMs: number;
    readonly stopCalls: readonly (readonly string[])[];
    readonly statusEmptyMs: number;
    readonly statusEmptyCalls: readonly (readonly string[])[];
    /** CPU of the full look on a model with no relation, tools free: the handler's fixed cost. */
    readonly fullLookEmptyHandlerCpuMs: number;
    readonly stopOneFileMs: number;
    readonly stopDirectMs: number;
    readonly fakeToolMs: number;
    readonly asn1OnlyMs: number;
    /** Node evaluating only the tracing exporter chunk: what a traced dispatch adds. */
    readonly tracingOnlyMs: number;
  };
  readonly sizes: readonly SizeResult[];
  /** provide-certificates runs, smallest batch first. */
  readonly batch: readonly BatchResult[];
  /** The signing policy's cost in hooks; undefined when not measured. */
  readonly policy?: PolicyResult;
  /** How hooks grow with the relations (issue 24); undefined when not measured. */
  readonly growth?: GrowthResult;
  readonly bundle: {
    readonly eagerAsn1: readonly string[];
    readonly lazyAsn1Count: number;
    readonly eagerBytes: number;
    readonly lazyBytes: number;
  };
  readonly seconds: number;
}

const yes = (ok: boolean): string => (ok ? "**met**" : "**not met**");
const op = (size: SizeResult, key: string): OpResult => size.ops.find((o) => o.key === key)!;
const argv = (call: readonly string[]): string => `\`${call.join(" ")}\``;

function countBy(calls: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const name =
      call[0] === "relation-get" && call.includes("--app")
        ? "relation-get --app"
        : call[0] === "relation-list" && call.includes("--app")
          ? "relation-list --app"
          : call[0]!;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${n} ${name}`).join(", ");
}

export function renderReport(r: Report): string {
  const b = r.baseline;
  const largest = r.sizes.at(-1)!;
  const smallest = r.sizes[0]!;
  const lines: string[] = [];
  const push = (...more: string[]): void => void lines.push(...more);

  const stopRatio = b.stopMs / b.nodeMs;
  const emptyRatio = b.statusEmptyMs / b.nodeMs;
  const allOps = r.sizes.flatMap((s) => s.ops);
  const duplicates = allOps.flatMap((o) => o.duplicates.map((d) => `${o.label}: ${d}`));
  const where = op(largest, "provide-where");
  const whereGets = where.calls.filter((c) => c[0] === "relation-get");
  const expectedGets = [
    [
      "relation-get",
      "--format=json",
      "-r",
      String(largest.target.relationId),
      "-",
      largest.target.unit,
    ],
    [
      "relation-get",
      "--format=json",
      "-r",
      String(largest.target.relationId),
      "--app",
      "-",
      "tls-certificates-operator",
    ],
  ];
  const readsOnlyNeeded =
    JSON.stringify([...whereGets].sort()) === JSON.stringify([...expectedGets].sort());
  // What the full look (the one hook that still reads every relation) costs per CSR beyond the
  // same hook on a model with nothing in it.
  const variable = r.sizes.map((size) => ({
    csrs: size.csrs,
    usPerCsr:
      ((op(size, "full-look").handlerCpuMs - b.fullLookEmptyHandlerCpuMs) / size.csrs) * 1000,
  }));
  const [middle, last] = [variable.at(-2), variable.at(-1)];
  const linear =
    middle === undefined || last === undefined || last.usPerCsr <= 1.5 * middle.usPerCsr;
  const charmOwn = Math.max(...largest.ops.map((o) => o.loadedMs + o.handlerCpuMs));
  const asn1Lazy = r.bundle.eagerAsn1.length === 0 && r.bundle.lazyAsn1Count > 0;
  const perCertificate = r.batch.map((run) => ({
    ...run,
    msPerCertificate: run.handlerCpuMs / run.certificates,
  }));
  const [smallBatch, largeBatch] = [perCertificate[0], perCertificate.at(-1)];
  const batchLinear =
    smallBatch !== undefined &&
    largeBatch !== undefined &&
    largeBatch.msPerCertificate <= 1.5 * smallBatch.msPerCertificate;
  const batchCheap = perCertificate.every((run) => run.msPerCertificate < 5);
  const batchAdded =
    smallBatch !== undefined && largeBatch !== undefined && largeBatch !== smallBatch
      ? (largeBatch.handlerCpuMs - smallBatch.handlerCpuMs) /
        (largeBatch.certificates - smallBatch.certificates)
      : Number.NaN;

  push(
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Re-run it to refresh the figures.",
    "",
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, ${r.machine.kernel}; ` +
      `run on ${r.machine.date} in ${r.seconds} s${r.quick ? " (--quick)" : ""}. The machine is shared and noisy: ` +
      "absolute times move between runs by tens of percent; ratios taken within this run are what to compare.",
    "",
    "## Targets (issue 7)",
    "",
    "| Target | Measured | |",
    "|---|---|---|",
    `| A hook with no handler (\`stop\`) costs ≤ 1.5× \`node -e 0\` | ${fmt(b.stopMs)} ms vs ${fmt(b.nodeMs)} ms: ${fmt(stopRatio, 2)}× (${b.stopCalls.length} tool call) | ${yes(stopRatio <= 1.5)} |`,
    `| Stricter reading: \`update-status\` with no relation, which must still read leadership, config and both endpoints and set the status, costs ≤ 1.5× \`node -e 0\` | ${fmt(b.statusEmptyMs)} ms: ${fmt(emptyRatio, 2)}×; its ${b.statusEmptyCalls.length} tool calls alone cost ${fmt(b.statusEmptyCalls.length * b.fakeToolMs)} ms (${fmt((b.statusEmptyCalls.length * b.fakeToolMs) / b.nodeMs, 2)}×) | ${yes(emptyRatio <= 1.5)} |`,
    `| No dispatch runs a hook tool twice with the same arguments | ${duplicates.length === 0 ? "no repeated argv in any of the " + allOps.length + " dispatches" : duplicates.join("; ")} | ${yes(duplicates.length === 0)} |`,
    `| provide-certificate with unit-name reads that unit's databag and ours only | relation-get calls at ${largest.csrs} CSRs: ${whereGets.map(argv).join(", ")} (${where.calls.length} tool calls in all: ${countBy(where.calls)}) | ${yes(readsOnlyNeeded)} |`,
    `| Cost linear in CSRs: per CSR at ${last?.csrs ?? "–"} ≤ 1.5× per CSR at ${middle?.csrs ?? "–"} | CPU of the full look (leader-elected) beyond an empty model's ${fmt(b.fullLookEmptyHandlerCpuMs, 1)} ms, per CSR: ${variable.map((v) => `${fmt(v.usPerCsr)} µs at ${v.csrs}`).join(", ")} | ${yes(linear)} |`,
    `| Charm's own CPU with ${largest.csrs} CSRs < 200 ms beside tool time | at most ${fmt(charmOwn)} ms (process start to handler end, tools free; worst of the five dispatches) | ${yes(charmOwn < 200)} |`,
    `| provide-certificates (issue 13): CPU per certificate < 5 ms beyond tool time | ${perCertificate.map((run) => `${fmt(run.msPerCertificate, 2)} ms at ${run.certificates} (${fmt(run.handlerCpuMs)} ms in all)`).join(", ")}; ${fmt(batchAdded, 2)} ms for each certificate added | ${yes(batchCheap)} |`,
    `| provide-certificates linear: per certificate at ${largeBatch?.certificates ?? "–"} ≤ 1.5× per certificate at ${smallBatch?.certificates ?? "–"} | ${largeBatch === undefined || smallBatch === undefined ? "not run" : `${fmt(largeBatch.msPerCertificate / smallBatch.msPerCertificate, 2)}×`} | ${yes(batchLinear)} |`,
    `| ASN.1 library evaluated only by hooks that parse certificates | ${asn1Lazy ? `none of its ${r.bundle.lazyAsn1Count} modules is reachable from src/main.ts by static imports` : `statically reached: ${r.bundle.eagerAsn1.join(", ")}`} | ${yes(asn1Lazy)} |`,
    ...policyTargetRows(r.policy),
    ...growthTargetRows(r.growth),
    "",
  );

  push(
    "## How it is measured",
    "",
    "- **Model.** `bench/model.ts` writes the model straight into the simulator's state (no hook runs while it is built):",
    "  the operator, then N requirer applications of M units, each unit joined and holding K CSRs (RSA 2048, one per",
    "  subject) in its unit databag, the formats cycling over library v1, v2 before LIBPATCH 19 (no `ca`), v2, v3, v4",
    "  and charmlibs; one CSR in 13 asks for a CA where the format can say so. Every other CSR already has a",
    "  certificate in our application databag, and that list is exactly what reconcile would write; a full look has",
    "  run and kept the summary in charm state (bench/settle.ts), so hooks are in steady state and write nothing.",
    "- **Dispatches.** `certificates-relation-changed` (first relation, its first unit), `update-status`, the full",
    "  look (`leader-elected`, which also keeps the summary afresh), `get-outstanding-certificate-requests` (no",
    "  parameter), `provide-certificate` for the last unanswered CSR with `unit-name` and `relation-id`, and without either.",
    "- **Simulator** (`sim`): the real `dispatch` on `tests/simulator`, timed around `runHook`/`runAction`; tool calls",
    "  are its `toolCalls`. Each simulator tool call is a C client process and a round trip to the agent in the",
    "  test's process, so this column measures the simulator as much as the charm; it is shown for scale and to",
    "  check the call lists.",
    `- **Fake tools** (\`fake\`): the same \`dispatch\` and \`dist/charm.mjs\`, with PATH pointing at one POSIX sh script`,
    `  linked under every tool name that \`cat\`s a canned answer (a file whose path is the argv) written from the`,
    `  simulator's state, and logs its argv. One call costs ${fmt(b.fakeToolMs, 1)} ms here. Where the simulator ran, the`,
    "  fake run's argv list is checked to be identical to the simulator's.",
    "- **Charm CPU** (`cpu`): user + system time of the Node process running `dist/charm.mjs` under the fake tools,",
    "  read by `bench/probe.mjs` (`NODE_OPTIONS=--import`) at exit: Node start-up, module evaluation, the handler,",
    "  and the cost of spawning each tool, but not the tools' own CPU (children are not counted).",
    "- **Charm alone** (`own`): the same router and handlers, bundled and split like `dist/` (a handler loads its",
    "  chunks as it does under Juju), with a runner that answers from memory (`bench/inprocess-entry.ts`; answers",
    "  kept as Buffers outside the V8 heap and decoded per call, as a tool's stdout is) and V8 tuned as",
    "  `src/main.ts` does, run as a fresh process per dispatch: process start to entry (`boot`), and CPU of the",
    "  dispatch itself with tools that cost nothing (`handler`). `own` = boot + handler; this is the charm's own",
    "  time, tool time excluded.",
    "- **provide-certificates.** Models of 4 requirer applications × 5 units holding 100 and 1,000 CSRs, each with",
    "  its own EC P-256 key; every CSR signed by one CA (`tests/e2e/batch-fixtures.ts`) and the whole bundle handed",
    `  back in one run. CPU of that dispatch with the tools answered from memory, median of ${r.batch[0]?.reps ?? 0} runs; one run of the`,
    "  real charm process on the fake tools checks that every certificate was provided.",
    `- Medians of ${smallest.fakeReps} (smallest) to ${largest.fakeReps} (largest) fake-tool runs, ${largest.inprocessReps} in-process runs and ${smallest.simReps} to ${largest.simReps} simulator runs; baselines`,
    "  are interleaved so that load bursts hit every series alike.",
    "",
  );

  push(
    "## Start-up",
    "",
    "| | wall ms | × `node -e 0` | tool calls |",
    "|---|---|---|---|",
    `| \`node -e 0\` | ${fmt(b.nodeMs)} | 1.00 | |`,
    `| \`stop\` (no handler), dispatch + dist/charm.mjs | ${fmt(b.stopMs)} | ${fmt(stopRatio, 2)} | ${b.stopCalls.length}: ${b.stopCalls.map((c) => c[0]).join(", ")} |`,
    `| \`update-status\`, no relation | ${fmt(b.statusEmptyMs)} | ${fmt(emptyRatio, 2)} | ${b.statusEmptyCalls.length}: ${b.statusEmptyCalls.map((c) => c[0]).join(", ")} |`,
    `| \`stop\`, \`node dist/charm.mjs\` without the sh dispatch | ${fmt(b.stopDirectMs)} | ${fmt(b.stopDirectMs / b.nodeMs, 2)} | 1 |`,
    `| \`stop\`, same charm bundled in one file without code splitting (node, no sh) | ${fmt(b.stopOneFileMs)} | ${fmt(b.stopOneFileMs / b.nodeMs, 2)} | |`,
    `| \`node\` evaluating only @peculiar/asn1-csr + asn1-x509 | ${fmt(b.asn1OnlyMs)} | ${fmt(b.asn1OnlyMs / b.nodeMs, 2)} | |`,
    `| \`node\` evaluating only the tracing exporter (OpenTelemetry SDK + OTLP/HTTP), loaded only with a \`tracing\` relation | ${fmt(b.tracingOnlyMs)} | ${fmt(b.tracingOnlyMs / b.nodeMs, 2)} | |`,
    "",
    `The bundle is ${fmt(r.bundle.eagerBytes / 1024)} KiB of modules evaluated at start and ${fmt(r.bundle.lazyBytes / 1024)} KiB reached only through`,
    "`import()` (the handlers, provide-certificate's checks, the ASN.1 library and the tracing exporter), which",
    "`dist/chunks/` holds apart. Every dispatch now ends with one `relation-ids tracing` call (issue 15).",
    "In one file, esbuild wraps the lazy part in functions that run on first `import()`, so other hooks do not",
    "evaluate it, but V8 still reads and pre-parses its text on every start: the one-file row shows what that costs.",
    "",
  );

  for (const size of r.sizes) {
    push(
      `## ${size.csrs} CSRs: ${size.relations} relation${size.relations === 1 ? "" : "s"} × ${size.unitsPerRelation} units × ${size.csrsPerUnit} CSRs (${size.answered} answered)`,
      "",
      "| dispatch | tool calls | sim ms | fake ms | × node | cpu ms | boot ms | handler ms | own ms | same calls as sim |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const o of size.ops) {
      push(
        `| ${o.label} | ${o.calls.length} | ${fmt(o.simWallMs)} | ${fmt(o.fakeWallMs)} | ${fmt(o.fakeWallMs / b.nodeMs, 1)} | ${fmt(o.charmCpuMs)} | ${fmt(o.loadedMs)} | ${fmt(o.handlerCpuMs)} | ${fmt(o.loadedMs + o.handlerCpuMs)} | ${o.sameCallsAsSimulator === undefined ? "not run" : o.sameCallsAsSimulator ? "yes" : "**no**"} |`,
      );
    }
    push("", "Tool calls by kind:", "");
    for (const o of size.ops) push(`- ${o.label}: ${countBy(o.calls)}`);
    for (const o of size.ops.filter((o) => o.failure !== undefined)) {
      push("", `${o.label} fails here, as designed, after its reads: "${o.failure}"`);
    }
    push("");
  }

  push(...policySection(r.policy));
  push(...growthSection(r.growth));

  push(
    "## Linearity",
    "",
    "| CSRs | full look calls | calls per CSR | handler CPU ms | beyond empty model, µs per CSR | added since previous size, µs per CSR | get-outstanding handler ms | provide (neither) handler ms |",
    "|---|---|---|---|---|---|---|---|",
    `| 0 (no relation) | | | ${fmt(b.fullLookEmptyHandlerCpuMs, 1)} | | | | |`,
  );
  r.sizes.forEach((size, index) => {
    const s = op(size, "full-look");
    const previous = index === 0 ? undefined : r.sizes[index - 1];
    const added =
      previous === undefined
        ? ""
        : fmt(
            ((s.handlerCpuMs - op(previous, "full-look").handlerCpuMs) /
              (size.csrs - previous.csrs)) *
              1000,
          );
    push(
      `| ${size.csrs} | ${s.calls.length} | ${fmt(s.calls.length / size.csrs, 2)} | ${fmt(s.handlerCpuMs, 1)} | ${fmt(variable[index]!.usPerCsr)} | ${added} | ${fmt(op(size, "get-outstanding").handlerCpuMs, 1)} | ${fmt(op(size, "provide-bare").handlerCpuMs, 1)} |`,
    );
  });
  push(
    "",
    "The full look's tool calls grow with units and relations, not CSRs: one `relation-get` per unit, and per",
    "relation one `relation-list`, one `relation-list --app` and two application `relation-get`s; the other hooks",
    "read one relation or none (see the growth table). The target compares the cost per CSR beyond the full",
    "look's fixed cost (on an empty model) at the two larger sizes; at 20 CSRs",
    "that cost is a difference of a few milliseconds and mostly noise. The cost added between sizes is",
    "shown too; it is higher between the larger sizes, where a heap of tens of MB means more scavenging of live",
    "data (`npm run bench:profile` shows where a dispatch's time goes).",
    "",
  );
  return lines.join("\n");
}
