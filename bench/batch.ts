// provide-certificates' own CPU per certificate (issue 13): models of 100 and 1,000 requests,
// each with its own EC key, and the whole batch signed and handed back in one run, with the
// tools answered from memory (bench/inprocess-entry.ts) so tool time is left out.
import { makeCa } from "../tests/x509/fixtures.ts";
import { distinctKeyCsrs, issueFor } from "../tests/e2e/batch-fixtures.ts";
import { runFake, type FakeTools } from "./fake-tools.ts";
import { median } from "./measure.ts";
import { buildModel } from "./model.ts";

export interface BatchResult {
  readonly certificates: number;
  readonly relations: number;
  readonly reps: number;
  /** Median CPU of the whole dispatch, tools free. */
  readonly handlerCpuMs: number;
  readonly provided: number;
}

export type InProcessRun = (
  tools: FakeTools,
  answers: string,
  event: { unit: string; name: string; action: { params: Record<string, unknown> } },
  label: string,
) => Promise<Record<string, number>>;

export async function measureBatches(
  tools: FakeTools,
  runInProcess: InProcessRun,
  sizes: readonly number[],
  reps: number,
): Promise<BatchResult[]> {
  const ca = makeCa({ commonName: "Bench batch CA" });
  const results: BatchResult[] = [];
  for (const count of sizes) {
    const relations = 4;
    const unitsPerRelation = 5;
    const model = await buildModel(
      { relations, unitsPerRelation, csrsPerUnit: count / (relations * unitsPerRelation) },
      distinctKeyCsrs(),
    );
    const bundle = model.csrs.map((placed) => issueFor(placed.csr, ca, { isCa: placed.isCa }));
    const answers = tools.answer(model.sim.state(), model.leader, `batch-${count}`);
    const event = {
      unit: model.leader,
      name: "provide-certificates",
      action: { params: { certificates: bundle.join("\n"), "ca-certificate": ca.pem } },
    };
    // One run of the real charm process, to check that every certificate was provided.
    const check = await runFake(tools, answers, event);
    const set = check.toolCalls.find((call) => call[0] === "action-set") ?? [];
    const provided = Number(set.find((arg) => arg.startsWith("provided="))?.slice(9));
    if (check.exitCode !== 0 || provided !== count) {
      throw new Error(`provide-certificates ×${count} provided ${provided}: ${check.stderr}`);
    }
    const cpu: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const probe = await runInProcess(tools, answers, event, `provide-certificates ×${count}`);
      cpu.push(probe["handlerCpuMs"] ?? Number.NaN);
    }
    console.log(`  provide-certificates ×${count}: ${median(cpu).toFixed(0)} ms CPU`);
    results.push({
      certificates: count,
      relations,
      reps,
      handlerCpuMs: median(cpu),
      provided,
    });
  }
  return results;
}
