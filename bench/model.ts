// A model of any size on the simulator, written straight into its state: the operator (leader
// first) and N requirer applications of M units, each unit already joined and its databag
// holding K CSRs in the format of one tls_certificates library version. No hook runs while it
// is built, so 2,000 CSRs take a second, not the hours a real deploy of 1,000 units would.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CERTIFICATES_KEY,
  serializeProvidedCertificates,
} from "../src/interface/provided-certificates.ts";
import { writeCsrs, writesCaFlag } from "../tests/requirers/writers.ts";
import type { LibraryVersion } from "../tests/requirers/types.ts";
import { Simulator } from "../tests/simulator/index.ts";
import {
  addUnitRecord,
  createApplication,
  createRelation,
  recordAsSettled,
} from "../tests/simulator/lifecycle.ts";
import { addressSettings } from "../tests/simulator/model.ts";
import { updateState } from "../tests/simulator/state.ts";
import type { CsrFactory } from "./csrs.ts";

export const CHARM_DIR = resolve(fileURLToPath(import.meta.url), "../..");
export const OPERATOR = "tls-certificates-operator";

export interface ModelSpec {
  readonly relations: number;
  readonly unitsPerRelation: number;
  readonly csrsPerUnit: number;
  /** Operator units; the first is the leader. Default 1. */
  readonly operatorUnits?: number;
  /**
   * When given, every other CSR already has this certificate in our databag, as after an
   * operator's earlier work; the charm never parses it there, so one text serves them all.
   */
  readonly answeredWith?: { readonly certificate: string; readonly ca: string };
}

/** One CSR as it sits in a requirer unit's databag. */
export interface PlacedCsr {
  readonly relationId: number;
  readonly unit: string;
  readonly csr: string;
  readonly isCa: boolean;
  readonly answered: boolean;
}

export interface BenchRelation {
  readonly id: number;
  readonly app: string;
  readonly units: readonly string[];
}

export interface BenchModel {
  readonly sim: Simulator;
  readonly leader: string;
  readonly operatorUnits: readonly string[];
  readonly relations: readonly BenchRelation[];
  readonly csrs: readonly PlacedCsr[];
}

/** Library formats cycled over the units: every version and both v2 forms (with and without `ca`). */
export const FORMAT_MIX: readonly { version: LibraryVersion; libpatch?: number }[] = [
  { version: "v1" },
  { version: "v2", libpatch: 18 },
  { version: "v2" },
  { version: "v3" },
  { version: "v4" },
  { version: "charmlibs" },
];

let requirerCharm: string | undefined;

/** A requirer charm with metadata and no dispatch: Juju skips its hooks, so settle() is cheap. */
function requirerCharmDir(): string {
  if (requirerCharm) return requirerCharm;
  const dir = mkdtempSync(join(tmpdir(), "bench-requirer-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "metadata.yaml"),
    "name: bench-requirer\nrequires:\n  certificates:\n    interface: tls-certificates\n",
  );
  requirerCharm = dir;
  return dir;
}

export async function buildModel(spec: ModelSpec, csrs: CsrFactory): Promise<BenchModel> {
  const sim = await Simulator.create();
  const placed: PlacedCsr[] = [];
  const relations: BenchRelation[] = [];
  let serial = 0;
  const operatorUnits = updateState(sim.dir, (state) => {
    createApplication(state, OPERATOR, CHARM_DIR, {});
    const operators = Array.from({ length: spec.operatorUnits ?? 1 }, () =>
      addUnitRecord(state, OPERATOR, sim.dir),
    );
    for (let r = 0; r < spec.relations; r++) {
      const app = `req${r}`;
      createApplication(state, app, requirerCharmDir(), {});
      const units = Array.from({ length: spec.unitsPerRelation }, () =>
        addUnitRecord(state, app, sim.dir),
      );
      const relation = createRelation(state, `${OPERATOR}:certificates`, `${app}:certificates`);
      for (const unit of operators) {
        relation.views[unit] = { created: true, members: {}, appMembers: {}, changedPending: null };
        relation.unitData[unit] = addressSettings(state.units[unit]!);
      }
      for (const unit of units) {
        relation.views[unit] = { created: true, members: {}, appMembers: {}, changedPending: null };
        const format = FORMAT_MIX[serial % FORMAT_MIX.length]!;
        const requests = Array.from({ length: spec.csrsPerUnit }, () => {
          const n = serial++;
          const csr = csrs.csr(`${unit.replace("/", "-")}-${n}.bench.example`);
          const isCa = n % 13 === 12 && writesCaFlag(format.version, format.libpatch);
          const answered = spec.answeredWith !== undefined && n % 2 === 1;
          placed.push({ relationId: relation.id, unit, csr, isCa, answered });
          return { csr, isCa };
        });
        relation.unitData[unit] = {
          ...addressSettings(state.units[unit]!),
          certificate_signing_requests: writeCsrs(format.version, requests, format.libpatch),
        };
      }
      // Steady state: our list is what reconcile would write, so a hook writes nothing.
      const { certificate, ca } = spec.answeredWith ?? { certificate: "", ca: "" };
      const answers = placed
        .filter((entry) => entry.relationId === relation.id && entry.answered)
        .map((entry) => ({
          csr: entry.csr,
          certificate,
          ca,
          chain: [certificate, ca],
          revoked: false,
        }));
      relation.appData[OPERATOR] = {
        [CERTIFICATES_KEY]: serializeProvidedCertificates(answers),
      };
      relations.push({ id: relation.id, app, units });
    }
    // Every unit's own record as after all its hooks (members, versions, leadership, config).
    recordAsSettled(state);
    return operators;
  });
  return {
    sim,
    leader: operatorUnits[0]!,
    operatorUnits,
    relations,
    csrs: placed,
  };
}
