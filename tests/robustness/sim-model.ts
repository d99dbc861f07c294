// A simulated model for the real-dispatch robustness tests: the operator, and requirers that
// have no dispatch (their hooks are skipped), whose databags the tests write themselves.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Simulator, type ActionRun } from "../simulator/index.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const CHARM_DIR = resolve(here, "../..");
export const SILENT_REQUIRER = resolve(here, "fixtures/silent-requirer");
export const OPERATOR = "tls-certificates-operator";
export const REQUESTS = "certificate_signing_requests";

export interface SimModel {
  readonly sim: Simulator;
  readonly relations: Readonly<Record<string, number>>;
}

export async function simModel(
  operatorUnits: number,
  requirers: Readonly<Record<string, number>>,
): Promise<SimModel> {
  const sim = await Simulator.create();
  await sim.deploy(OPERATOR, CHARM_DIR, { units: operatorUnits });
  const relations: Record<string, number> = {};
  for (const [app, units] of Object.entries(requirers)) {
    await sim.deploy(app, SILENT_REQUIRER, { units });
    relations[app] = await sim.integrate(`${OPERATOR}:certificates`, `${app}:certificates`);
  }
  return { sim, relations };
}

export const requestBag = (...csrs: string[]): Record<string, string> => ({
  [REQUESTS]: JSON.stringify(csrs.map((csr) => ({ certificate_signing_request: csr, ca: false }))),
});

export const b64 = (text: string): string => Buffer.from(text).toString("base64");

export function provideParams(
  csr: string,
  certificate: string,
  ca: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    "certificate-signing-request": b64(csr),
    certificate: b64(certificate),
    "ca-certificate": b64(ca),
    ...extra,
  };
}

export interface Listed {
  relation_id: number;
  application_name: string;
  unit_name: string | null;
  csr: string;
  is_ca: boolean;
}

export function listed(run: ActionRun): Listed[] {
  if (run.status !== "completed") throw new Error(`listing failed: ${run.message}`);
  return JSON.parse(String(run.results["result"])) as Listed[];
}

/** Every databag of every relation, for before/after comparisons. */
export function allDatabags(sim: Simulator): unknown {
  return sim.state().relations.map((r) => ({ id: r.id, units: r.unitData, apps: r.appData }));
}
