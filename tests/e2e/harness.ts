import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Simulator, type ActionRun } from "../simulator/index.ts";

const here = dirname(fileURLToPath(import.meta.url));
export const CHARM_DIR = resolve(here, "../..");
export const REQUIRER_DIR = resolve(here, "../charms/requirer");
export const OPERATOR = "tls-certificates-operator";
export const LEADER = `${OPERATOR}/leader`;

export interface RequirerSpec {
  readonly name?: string;
  readonly units?: number;
  readonly config?: Record<string, unknown>;
}

export interface ModelSpec {
  readonly operatorUnits?: number;
  readonly requirers?: readonly RequirerSpec[];
}

export interface TestModel {
  readonly sim: Simulator;
  /** Relation id per requirer application name. */
  readonly relations: Readonly<Record<string, number>>;
}

/** Deploys the operator and each requirer, and integrates them, as `juju` would. */
export async function deployModel(spec: ModelSpec = {}): Promise<TestModel> {
  const sim = await Simulator.create();
  await sim.deploy(OPERATOR, CHARM_DIR, { units: spec.operatorUnits ?? 1 });
  const relations: Record<string, number> = {};
  for (const requirer of spec.requirers ?? []) {
    const name = requirer.name ?? "tls-requirer";
    await sim.deploy(name, REQUIRER_DIR, {
      units: requirer.units ?? 1,
      config: { ...requirer.config },
    });
    relations[name] = await sim.integrate(`${OPERATOR}:certificates`, `${name}:certificates`);
  }
  return { sim, relations };
}

/** The unit that holds app's lease: whichever agent claimed it first, as the seed decides. */
export function leaderOf(sim: Simulator, app: string = OPERATOR): string {
  const leader = sim.leader(app);
  if (leader === null) throw new Error(`${app} has no leader`);
  return leader;
}

/** The lowest-numbered unit of app that does not lead. */
export function followerOf(sim: Simulator, app: string = OPERATOR): string {
  const leader = leaderOf(sim, app);
  const units = Object.keys(sim.state().units).filter((u) => u.startsWith(`${app}/`));
  const follower = units
    .filter((u) => u !== leader)
    .sort((a, b) => Number(a.slice(app.length + 1)) - Number(b.slice(app.length + 1)))[0];
  if (follower === undefined) throw new Error(`${app} has no unit but its leader`);
  return follower;
}

export const base64 = (text: string): string => Buffer.from(text).toString("base64");

export interface RequestView {
  relation_id: number;
  application_name: string;
  unit_name: string | null;
  csr: string;
  is_ca: boolean;
  has_certificate?: boolean;
}

/** The `result` JSON of a listing action, parsed. */
export function listed(run: ActionRun): RequestView[] {
  if (run.status !== "completed") throw new Error(`action failed: ${run.message}`);
  return JSON.parse(String(run.results["result"])) as RequestView[];
}

export async function outstanding(sim: Simulator, params: Record<string, unknown> = {}) {
  return listed(await sim.runAction(LEADER, "get-outstanding-certificate-requests", params));
}

export interface Provided {
  readonly csr: string;
  readonly certificate: string;
  readonly caCertificate: string;
  readonly chain?: string;
  readonly relationId?: number;
  readonly unitName?: string;
}

export function provide(
  sim: Simulator,
  given: Provided,
  unit: string = LEADER,
): Promise<ActionRun> {
  return sim.runAction(unit, "provide-certificate", {
    "certificate-signing-request": base64(given.csr),
    certificate: base64(given.certificate),
    "ca-certificate": base64(given.caCertificate),
    ...(given.chain === undefined ? {} : { "ca-chain": base64(given.chain) }),
    ...(given.relationId === undefined ? {} : { "relation-id": given.relationId }),
    ...(given.unitName === undefined ? {} : { "unit-name": given.unitName }),
  });
}

export interface Received {
  readonly certificate: string;
  readonly "ca-certificate": string;
  readonly csr: string;
}

/** What a requirer unit accepted, through its own get-certificate action. */
export async function received(sim: Simulator, unit: string): Promise<Received[] | string> {
  const run = await sim.runAction(unit, "get-certificate");
  if (run.status !== "completed") return run.message ?? "failed";
  return JSON.parse(String(run.results["certificates"])) as Received[];
}

/** A requirer charm with no hooks: its databag holds exactly the CSRs a test puts there. */
export function silentRequirer(): string {
  const dir = mkdtempSync(join(tmpdir(), "silent-requirer-"));
  writeFileSync(
    join(dir, "metadata.yaml"),
    "name: silent\nrequires:\n  certificates:\n    interface: tls-certificates\n",
  );
  return dir;
}

/** Puts these CSRs (leaf requests) in a unit's databag, as its charm would, and notifies. */
export function putCsrs(sim: Simulator, relationId: number, unit: string, csrs: readonly string[]) {
  sim.setRelationData(
    relationId,
    unit,
    {
      certificate_signing_requests: JSON.stringify(
        csrs.map((csr) => ({ certificate_signing_request: csr.trim(), ca: false })),
      ),
    },
    { notify: true },
  );
}
