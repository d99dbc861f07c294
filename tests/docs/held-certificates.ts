// What requirers hold, asked through their own actions on the simulator in $SIM_DIR, printed
// as JSON: `--units a/0,b/0` runs each tls-certificates requirer's get-certificate, `--trust
// t/0` each certificate_transfer requirer's get-certificates. One process for every unit, so a
// test that checks after each step of a page pays one start-up, not one per unit.
import { parseArgs } from "node:util";
import { Simulator } from "../simulator/index.ts";

export interface Held {
  /** Per requirer unit: the certificates it accepted, or why get-certificate failed. */
  readonly units: Record<string, { certificate: string; "ca-certificate": string }[] | string>;
  /** Per trust requirer unit: the certificates it would put in its trust store. */
  readonly trust: Record<string, string[]>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { units: { type: "string" }, trust: { type: "string" } },
  });
  const dir = process.env["SIM_DIR"];
  if (dir === undefined) throw new Error("SIM_DIR is not set");
  const sim = await Simulator.create({ dir });
  const held: Held = { units: {}, trust: {} };
  for (const unit of (values.units ?? "").split(",").filter((u) => u !== "")) {
    const run = await sim.runAction(unit, "get-certificate");
    held.units[unit] =
      run.status === "completed"
        ? (JSON.parse(String(run.results["certificates"])) as Held["units"][string])
        : (run.message ?? "failed");
  }
  for (const unit of (values.trust ?? "").split(",").filter((u) => u !== "")) {
    const run = await sim.runAction(unit, "get-certificates");
    if (run.status !== "completed") throw new Error(`${unit}: ${run.message ?? "failed"}`);
    held.trust[unit] = JSON.parse(String(run.results["certificates"])) as string[];
  }
  process.stdout.write(`${JSON.stringify(held)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
