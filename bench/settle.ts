// One hook run in this process against the canned answers of a model, its relation writes and
// its charm state committed to the simulator's state as Juju would commit them. The bench uses
// it to put a model in steady state before measuring: our lists published, the summary kept.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createCharm } from "../src/charm/charm.ts";
import type { ToolRunner } from "../src/juju/hook-tools.ts";
import { updateState } from "../tests/simulator/state.ts";
import type { FakeTools } from "./fake-tools.ts";
import { OPERATOR, type BenchModel } from "./model.ts";

type Bag = Record<string, string>;

function applied(bag: Bag, changes: Bag): Bag {
  const result = { ...bag };
  for (const [key, value] of Object.entries(changes)) {
    if (value === "") delete result[key];
    else result[key] = value;
  }
  return result;
}

/** Runs `hook` on the leader and commits what it wrote; returns our databag per relation id. */
export async function settleHook(
  tools: FakeTools,
  model: BenchModel,
  hook: string,
  name: string,
): Promise<Map<number, Bag>> {
  const answers = tools.answer(model.sim.state(), model.leader, name);
  const writes = new Map<number, Bag>();
  const stateSet: Bag = {};
  const stateDeleted = new Set<string>();
  // relation-set and state-set read --file - as YAML; the charm writes JSON-compatible YAML.
  const runner: ToolRunner = (tool, args, stdin) => {
    const done = { exitCode: 0, stdout: "", stderr: "" };
    if (tool === "relation-set") {
      const id = Number(args[args.indexOf("-r") + 1]);
      writes.set(id, { ...writes.get(id), ...(JSON.parse(stdin ?? "{}") as Bag) });
      return done;
    }
    if (tool === "state-set") {
      Object.assign(stateSet, JSON.parse(stdin ?? "{}") as Bag);
      return done;
    }
    if (tool === "state-delete") {
      stateDeleted.add(args[0] ?? "");
      return done;
    }
    try {
      return { ...done, stdout: readFileSync(join(answers, tool, ...args, "stdout"), "utf8") };
    } catch {
      return done;
    }
  };
  const env = {
    JUJU_DISPATCH_PATH: `hooks/${hook}`,
    JUJU_UNIT_NAME: model.leader,
    JUJU_MODEL_NAME: "bench",
    JUJU_CONTEXT_ID: `bench-${name}`,
    JUJU_CHARM_DIR: join(tools.dir, "charm"),
  };
  const exitCode = await createCharm().dispatch(env, runner);
  if (exitCode !== 0) throw new Error(`${hook} on the bench model (${name}) exited ${exitCode}`);
  const ours = new Map<number, Bag>();
  updateState(model.sim.dir, (state) => {
    for (const relation of state.relations) {
      const written = writes.get(relation.id);
      if (written) relation.appData[OPERATOR] = applied(relation.appData[OPERATOR] ?? {}, written);
      ours.set(relation.id, relation.appData[OPERATOR] ?? {});
    }
    const unit = state.units[model.leader]!;
    const kept = applied(unit.charmState ?? {}, stateSet);
    for (const key of stateDeleted) delete kept[key];
    unit.charmState = kept;
  });
  return ours;
}

/** The leader's summary of every relation kept, as after its leader-elected. */
export async function keepSummary(
  tools: FakeTools,
  model: BenchModel,
  name: string,
): Promise<void> {
  await settleHook(tools, model, "leader-elected", name);
}
