// `npm run bench:profile -- [--csrs=2000] [--op=update-status] [--reps=5] [--no-profile]
// [--node-flags="..."] [--node=path] [--policy]`: the charm's own time on one dispatch of the benchmark's
// model in steady state, the summary kept (under the in-process runner of bench/inprocess-entry.ts;
// with --policy, under the bench's reject policy), with a V8 CPU
// profile of the last run and the functions that cost the most. For finding where a target is
// missed; `npm run bench` is what measures.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { bundleOptions } from "../scripts/bundle-options.mjs";
import { makeCa } from "../tests/x509/fixtures.ts";
import { csrFactory } from "./csrs.ts";
import { fakeTools, runFake, type EventSpec } from "./fake-tools.ts";
import { median } from "./measure.ts";
import { buildModel, CHARM_DIR } from "./model.ts";
import { applyPolicy } from "./policy.ts";
import { keepSummary } from "./settle.ts";

const option = (name: string, fallback: string): string =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

const relations = Math.max(1, Math.round(Number(option("csrs", "2000")) / 20));
const opName = option("op", "update-status");
const reps = Number(option("reps", "5"));
const nodeBinary = option("node", process.execPath);
const nodeFlags = option("node-flags", "").split(" ").filter(Boolean);
const profiled = !process.argv.includes("--no-profile");
const inprocess = join(CHARM_DIR, "build/bench-profile.mjs");

await build({
  ...bundleOptions,
  entryPoints: ["bench/inprocess-entry.ts"],
  outfile: inprocess,
  absWorkingDir: CHARM_DIR,
});

const ca = makeCa({ keyType: "rsa-2048", commonName: "Profile CA" });
const model = await buildModel(
  {
    relations,
    unitsPerRelation: 10,
    csrsPerUnit: 2,
    answeredWith: { certificate: ca.pem, ca: ca.pem },
  },
  csrFactory(),
);
const tools = fakeTools();
const profiles = mkdtempSync(join(tmpdir(), "bench-profile-"));
try {
  // With --policy, the model's requests under the bench's `enforcement: reject` policy.
  // Steady state: the summary kept, as after the leader's leader-elected (with --policy, as after
  // the config-changed that set it).
  if (process.argv.includes("--policy")) await applyPolicy(tools, model);
  else await keepSummary(tools, model, "profile-summary");
  const answers = tools.answer(model.sim.state(), model.leader, "profile");
  const event: EventSpec = opName.startsWith("get-")
    ? { unit: model.leader, name: opName, action: { params: {} } }
    : { unit: model.leader, name: opName };
  const handler: number[] = [];
  const wall: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const run = await runFake(tools, answers, event, {
      command: [
        nodeBinary,
        ...nodeFlags,
        ...(profiled ? ["--cpu-prof", `--cpu-prof-dir=${profiles}`] : []),
        inprocess,
      ],
    });
    handler.push(run.probe?.["handlerCpuMs"] ?? Number.NaN);
    wall.push(run.probe?.["handlerMs"] ?? Number.NaN);
  }
  console.log(
    `${model.csrs.length} CSRs, ${opName}: handler CPU ${handler.map((ms) => ms.toFixed(0)).join(", ")} ms (median ${median(handler).toFixed(0)}), wall median ${median(wall).toFixed(0)} ms`,
  );
  if (profiled) summarize(join(profiles, readdirSync(profiles).sort().at(-1)!));
} finally {
  tools.cleanup();
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

/** Self and total (inclusive) time per function of the profile, the 30 largest totals. */
function summarize(path: string): void {
  const profile = JSON.parse(readFileSync(path, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const name = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    return `${frame.functionName || "(anonymous)"} ${frame.url.split("/").at(-1)}:${frame.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((leaf, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    self.set(name(leaf), (self.get(name(leaf)) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id))
      onStack.add(name(id));
    for (const key of onStack) total.set(key, (total.get(key) ?? 0) + ms);
  });
  console.log(`profile: ${path}\n  total ms   self ms  function`);
  for (const [key, ms] of [...total]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(option("top", "30")))) {
    console.log(
      `${ms.toFixed(1).padStart(10)} ${(self.get(key) ?? 0).toFixed(1).padStart(9)}  ${key}`,
    );
  }
}
