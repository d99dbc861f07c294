// `npm run bench`: how the charm's dispatch costs grow with the model, against issue 7's targets.
// Writes docs/benchmarks.md. Options: --quick (fewer repetitions, no 2,000-CSR model), --no-sim.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions } from "../scripts/bundle-options.mjs";
import { makeCa, signCsr } from "../tests/x509/fixtures.ts";
import { measureBatches } from "./batch.ts";
import { charmBundleGraph, isAsn1Library } from "./bundle-graph.ts";
import { csrFactory } from "./csrs.ts";
import { fakeTools, runFake, type EventSpec, type FakeRun, type FakeTools } from "./fake-tools.ts";
import { duplicateCalls, fmt, median, timeAsync, timeProcess } from "./measure.ts";
import { buildModel, CHARM_DIR, OPERATOR, type BenchModel, type PlacedCsr } from "./model.ts";
import { measureGrowth } from "./growth.ts";
import { measurePolicy } from "./policy.ts";
import { keepSummary } from "./settle.ts";
import { renderReport, type OpResult, type Report, type SizeResult } from "./report.ts";

const quick = process.argv.includes("--quick");
const withSim = !process.argv.includes("--no-sim");

// The in-process runs are cheap and their medians carry the CPU targets, so they repeat most.
const INPROCESS_REPS = quick ? 5 : 11;
const SIZES = [
  { relations: 1, unitsPerRelation: 10, csrsPerUnit: 2, fakeReps: 7, simReps: 3 },
  { relations: 10, unitsPerRelation: 10, csrsPerUnit: 2, fakeReps: 5, simReps: 2 },
  // The simulator's tools re-read and re-write a multi-megabyte state file on every call here
  // (~1,300 calls a dispatch): minutes per run, so this size runs on the fake tools only.
  { relations: 100, unitsPerRelation: 10, csrsPerUnit: 2, fakeReps: 3, simReps: 0 },
].slice(0, quick ? 2 : 3);
const BASELINE_REPS = quick ? 7 : 15;
const BATCH_SIZES = [100, 1000];
const BATCH_REPS = quick ? 3 : 5;
const POLICY_REPS = quick ? 5 : 11;
const GROWTH_SIZES = quick ? [10, 100] : [10, 100, 300];
const GROWTH_REPS = quick ? 3 : 7;

const INPROCESS_DIR = join(CHARM_DIR, "build/bench-inprocess");
const INPROCESS = join(INPROCESS_DIR, "bench-inprocess.mjs");
const ONE_FILE = join(CHARM_DIR, "build/bench-one-file.mjs");
const ASN1_ONLY = join(CHARM_DIR, "build/bench-asn1-only.mjs");
const TRACING_ONLY = join(CHARM_DIR, "build/bench-tracing-only.mjs");

const shared = { ...bundleOptions, absWorkingDir: CHARM_DIR };

async function buildHelpers(): Promise<void> {
  // Split like dist/, so a handler pays for loading its chunks as it does under Juju.
  await build({
    ...shared,
    entryPoints: { "bench-inprocess": "bench/inprocess-entry.ts" },
    outdir: INPROCESS_DIR,
    splitting: true,
    outExtension: { ".js": ".mjs" },
  });
  // The same charm in one file, without the code splitting of dist/: what splitting saves.
  await build({ ...shared, entryPoints: ["src/main.ts"], outfile: ONE_FILE });
  await build({
    ...shared,
    stdin: {
      contents: 'import "@peculiar/asn1-csr"; import "@peculiar/asn1-x509";',
      resolveDir: CHARM_DIR,
    },
    outfile: ASN1_ONLY,
  });
  // What a dispatch with a tracing relation and a known endpoint loads on top: the exporter.
  await build({
    ...shared,
    stdin: { contents: 'import "./src/tracing/export.ts";', resolveDir: CHARM_DIR },
    outfile: TRACING_ONLY,
  });
}

function machine(): Report["machine"] {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  return {
    cpu: model.trim(),
    cores: cpus().length,
    node: process.version,
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    kernel: execFileSync("uname", ["-sr"], { encoding: "utf8" }).trim(),
  };
}

interface Op {
  readonly key: string;
  readonly label: string;
  readonly event: EventSpec;
  /** Runs the same dispatch on the simulator, returning its tool calls. */
  readonly sim: () => Promise<{ toolCalls: string[][]; ok: boolean }>;
}

const b64 = (text: string): string => Buffer.from(text).toString("base64");

function operations(model: BenchModel, target: PlacedCsr, certificate: string, ca: string): Op[] {
  const { sim, leader } = model;
  const first = model.relations[0]!;
  const provideParams = (withWhere: boolean): Record<string, unknown> => ({
    "certificate-signing-request": b64(target.csr),
    certificate: b64(certificate),
    "ca-certificate": b64(ca),
    ...(withWhere ? { "unit-name": target.unit, "relation-id": target.relationId } : {}),
  });
  // provide-certificate writes once; put our bag and the summary back so each simulator run
  // does the same work.
  const ourBag = sim.relationData(target.relationId, OPERATOR);
  const kept = sim.charmState(leader);
  const action = (name: string, params: Record<string, unknown>) => async () => {
    sim.setRelationData(target.relationId, OPERATOR, ourBag);
    sim.setCharmState(leader, kept);
    const run = await sim.runAction(leader, name, params);
    if (run.status !== "completed") console.error(`${name}: ${run.message ?? ""}`);
    return { toolCalls: run.toolCalls, ok: run.status === "completed" };
  };
  const hook =
    (name: string, spec: Parameters<typeof sim.runHook>[2] = {}) =>
    async () => {
      const run = await sim.runHook(leader, name, spec);
      return { toolCalls: run.toolCalls, ok: run.exitCode === 0 };
    };
  const remoteUnit = first.units[0]!;
  const changed = { relationId: first.id, remoteUnit, remoteApp: first.app };
  return [
    {
      key: "relation-changed",
      label: "certificates-relation-changed",
      event: { unit: leader, name: "certificates-relation-changed", ...changed },
      sim: hook("certificates-relation-changed", changed),
    },
    {
      key: "update-status",
      label: "update-status",
      event: { unit: leader, name: "update-status" },
      sim: hook("update-status"),
    },
    {
      key: "full-look",
      label: "full look (leader-elected)",
      event: { unit: leader, name: "leader-elected" },
      sim: hook("leader-elected"),
    },
    {
      key: "get-outstanding",
      label: "get-outstanding-certificate-requests",
      event: { unit: leader, name: "get-outstanding-certificate-requests", action: { params: {} } },
      sim: action("get-outstanding-certificate-requests", {}),
    },
    {
      key: "provide-where",
      label: "provide-certificate, unit-name + relation-id",
      event: {
        unit: leader,
        name: "provide-certificate",
        action: { params: provideParams(true) },
      },
      sim: action("provide-certificate", provideParams(true)),
    },
    {
      key: "provide-bare",
      label: "provide-certificate, neither",
      event: {
        unit: leader,
        name: "provide-certificate",
        action: { params: provideParams(false) },
      },
      sim: action("provide-certificate", provideParams(false)),
    },
  ];
}

// Juju caps an action's results; the charm refuses a listing over the cap and says how to
// narrow it. That refusal is the designed outcome at the largest size, after the same reads.
const RESULT_CAP = /more than the \d+ KiB Juju can pass in one result/;

/** The action's failure message when it failed the one way the bench accepts; throws otherwise. */
function acceptedFailure(run: FakeRun, op: Op): string | undefined {
  const fail = run.toolCalls.find((call) => call[0] === "action-fail");
  if (run.exitCode === 0 && fail === undefined) return undefined;
  const why = fail?.at(-1) ?? run.stderr;
  if (fail !== undefined && RESULT_CAP.test(why)) return why;
  throw new Error(`${op.label} failed on the fake tools: ${why}`);
}

/** One dispatch of the charm with tools that cost nothing; its probe's figures. */
async function runInProcess(
  tools: FakeTools,
  answers: string,
  event: EventSpec,
  label: string,
  command: readonly string[] = [process.execPath, INPROCESS],
): Promise<Record<string, number>> {
  const run = await runFake(tools, answers, event, { command });
  if (!run.probe || run.probe["exitCode"] !== 0)
    throw new Error(`${label} in-process failed: ${JSON.stringify(run.probe)} ${run.stderr}`);
  return run.probe;
}

async function measureOp(
  op: Op,
  tools: FakeTools,
  answers: string,
  fakeReps: number,
  simReps: number,
): Promise<OpResult> {
  const fake: FakeRun[] = [];
  let failure: string | undefined;
  const inproc: Record<string, number>[] = [];
  for (let rep = 0; rep < Math.max(fakeReps, INPROCESS_REPS); rep++) {
    if (rep < fakeReps) {
      const run = await runFake(tools, answers, op.event, { probe: true });
      failure = acceptedFailure(run, op);
      fake.push(run);
    }
    inproc.push(await runInProcess(tools, answers, op.event, op.label));
  }
  const calls = fake[0]!.toolCalls;
  const simWalls: number[] = [];
  let simCalls: string[][] | undefined;
  for (let rep = 0; rep < simReps; rep++) {
    let outcome: { toolCalls: string[][]; ok: boolean } | undefined;
    simWalls.push(await timeAsync(async () => (outcome = await op.sim())));
    if (!outcome?.ok && failure === undefined)
      throw new Error(`${op.label} failed on the simulator`);
    simCalls ??= outcome?.toolCalls;
  }
  const sameCalls =
    simCalls === undefined ? undefined : JSON.stringify(simCalls) === JSON.stringify(calls);
  return {
    key: op.key,
    label: op.label,
    calls,
    duplicates: duplicateCalls(calls),
    ...(failure === undefined ? {} : { failure }),
    sameCallsAsSimulator: sameCalls,
    simWallMs: median(simWalls),
    fakeWallMs: median(fake.map((run) => run.wallMs)),
    charmCpuMs: median(fake.map((run) => run.probe?.["cpuMs"] ?? Number.NaN)),
    charmLifeMs: median(fake.map((run) => run.probe?.["lifeMs"] ?? Number.NaN)),
    handlerMs: median(inproc.map((probe) => probe["handlerMs"] ?? Number.NaN)),
    handlerCpuMs: median(inproc.map((probe) => probe["handlerCpuMs"] ?? Number.NaN)),
    loadedMs: median(inproc.map((probe) => probe["loadedMs"] ?? Number.NaN)),
  };
}

async function baselines(
  tools: FakeTools,
  csrs: ReturnType<typeof csrFactory>,
): Promise<Report["baseline"]> {
  const empty = await buildModel({ relations: 0, unitsPerRelation: 0, csrsPerUnit: 0 }, csrs);
  await keepSummary(tools, empty, "empty-summary");
  const answers = tools.answer(empty.sim.state(), empty.leader, "empty");
  const stop: EventSpec = { unit: empty.leader, name: "stop" };
  const status: EventSpec = { unit: empty.leader, name: "update-status" };
  const fullLook: EventSpec = { unit: empty.leader, name: "leader-elected" };
  const series: Record<string, number[]> = {
    node: [],
    stop: [],
    statusEmpty: [],
    fullLookEmptyHandlerCpu: [],
    stopOneFile: [],
    stopDirect: [],
    tool: [],
    asn1: [],
    tracing: [],
  };
  let stopCalls: string[][] = [];
  let statusCalls: string[][] = [];
  // Every process gets the hook environment runFake builds, as Juju would give it: the bench's
  // own environment holds NODE_EXTRA_CA_CERTS here, which alone adds tens of ms to a Node start.
  const timed = async (key: string, event: EventSpec, command?: string[]): Promise<FakeRun> => {
    const run = await runFake(tools, answers, event, command ? { command } : {});
    if (run.exitCode !== 0) throw new Error(`${key} exited ${run.exitCode}: ${run.stderr}`);
    series[key]!.push(run.wallMs);
    return run;
  };
  // Interleaved, so that a burst of load on the shared machine hits every series alike.
  for (let rep = 0; rep < BASELINE_REPS; rep++) {
    await timed("node", stop, [process.execPath, "-e", "0"]);
    stopCalls = (await timed("stop", stop)).toolCalls;
    statusCalls = (await timed("statusEmpty", status)).toolCalls;
    await timed("stopOneFile", stop, [process.execPath, ONE_FILE]);
    const inproc = await runInProcess(tools, answers, fullLook, "full look, no relation");
    series.fullLookEmptyHandlerCpu!.push(inproc["handlerCpuMs"] ?? Number.NaN);
    await timed("stopDirect", stop, [process.execPath, join(CHARM_DIR, "dist/charm.mjs")]);
    await timed("asn1", stop, [process.execPath, ASN1_ONLY]);
    await timed("tracing", stop, [process.execPath, TRACING_ONLY]);
    const toolEnv = {
      PATH: process.env["PATH"],
      BENCH_ANSWERS: answers,
      BENCH_TOOL_LOG: "/dev/null",
    };
    series.tool!.push(
      await timeProcess(join(tools.binDir, "is-leader"), ["--format=json"], toolEnv),
    );
  }
  const m = (key: string): number => median(series[key]!);
  return {
    nodeMs: m("node"),
    stopMs: m("stop"),
    stopCalls,
    statusEmptyMs: m("statusEmpty"),
    statusEmptyCalls: statusCalls,
    fullLookEmptyHandlerCpuMs: m("fullLookEmptyHandlerCpu"),
    stopOneFileMs: m("stopOneFile"),
    stopDirectMs: m("stopDirect"),
    fakeToolMs: m("tool"),
    asn1OnlyMs: m("asn1"),
    tracingOnlyMs: m("tracing"),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  mkdirSync(join(CHARM_DIR, "build"), { recursive: true });
  await buildHelpers();
  const csrs = csrFactory();
  const ca = makeCa({ keyType: "rsa-2048", commonName: "Bench CA" });
  const tools = fakeTools();
  try {
    console.log("baselines…");
    const baseline = await baselines(tools, csrs);
    const sizes: SizeResult[] = [];
    for (const size of SIZES) {
      const model = await buildModel(
        { ...size, answeredWith: { certificate: ca.pem, ca: ca.pem } },
        csrs,
      );
      const total = model.csrs.length;
      console.log(`${total} CSRs on ${size.relations} relations…`);
      await keepSummary(tools, model, `size-${total}-summary`);
      const answers = tools.answer(model.sim.state(), model.leader, `size-${total}`);
      // The last unanswered request: without unit-name it is found last.
      const target = [...model.csrs].reverse().find((entry) => !entry.answered && !entry.isCa)!;
      const certificate = signCsr(`${target.csr}\n`, ca);
      const ops: OpResult[] = [];
      for (const op of operations(model, target, certificate, ca.pem)) {
        ops.push(await measureOp(op, tools, answers, size.fakeReps, withSim ? size.simReps : 0));
        console.log(
          `  ${op.label}: ${fmt(ops.at(-1)!.fakeWallMs)} ms, ${ops.at(-1)!.calls.length} calls`,
        );
      }
      sizes.push({
        relations: size.relations,
        unitsPerRelation: size.unitsPerRelation,
        csrsPerUnit: size.csrsPerUnit,
        csrs: total,
        answered: model.csrs.filter((entry) => entry.answered).length,
        fakeReps: size.fakeReps,
        inprocessReps: Math.max(size.fakeReps, INPROCESS_REPS),
        simReps: withSim ? size.simReps : 0,
        target,
        ops,
      });
    }
    const largest = SIZES.at(-1)!;
    console.log(
      `signing policy, reject, at ${largest.relations * largest.unitsPerRelation * largest.csrsPerUnit} CSRs…`,
    );
    const policyModel = await buildModel(
      { ...largest, answeredWith: { certificate: ca.pem, ca: ca.pem } },
      csrs,
    );
    const policy = await measurePolicy(tools, policyModel, runInProcess, POLICY_REPS);
    console.log("growth with the relations…");
    const growth = await measureGrowth(tools, csrs, runInProcess, GROWTH_SIZES, GROWTH_REPS, {
      certificate: ca.pem,
      ca: ca.pem,
    });
    console.log("provide-certificates batches…");
    const batch = await measureBatches(tools, runInProcess, BATCH_SIZES, BATCH_REPS);
    const graph = await charmBundleGraph();
    const sum = (inputs: Iterable<string>): number =>
      [...inputs].reduce((total, input) => total + (graph.bytes.get(input) ?? 0), 0);
    const report: Report = {
      machine: machine(),
      quick,
      baseline,
      sizes,
      batch,
      policy,
      growth,
      bundle: {
        eagerAsn1: [...graph.eager].filter(isAsn1Library),
        lazyAsn1Count: [...graph.lazy].filter(isAsn1Library).length,
        eagerBytes: sum(graph.eager),
        lazyBytes: sum(graph.lazy),
      },
      seconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(join(CHARM_DIR, "docs/benchmarks.md"), renderReport(report));
    console.log(`docs/benchmarks.md written (${report.seconds} s)`);
  } finally {
    tools.cleanup();
  }
}

await main();
