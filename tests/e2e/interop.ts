import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr, type KeyType } from "../x509/fixtures.ts";
import {
  LEADER,
  deployModel,
  outstanding,
  provide,
  received,
  type RequirerSpec,
} from "./harness.ts";

export interface InteropCase extends RequirerSpec {
  readonly name: string;
  readonly caKey: KeyType;
  readonly isCa?: boolean;
}

/** One model with a requirer app per case; each must accept what we publish, read its way. */
export function describeInterop(title: string, cases: readonly InteropCase[]): void {
  describe(title, () => {
    let sim: Simulator;
    let relations: Readonly<Record<string, number>>;

    before(async () => {
      ({ sim, relations } = await deployModel({ requirers: cases }));
    });

    it("lists one request per requirer unit or app, with its unit and CA flag", async () => {
      const requests = await outstanding(sim);
      for (const c of cases) {
        const mine = requests.filter((r) => r.application_name === c.name);
        const app = c.config?.["mode"] === "app";
        assert.equal(mine.length, app ? 1 : (c.units ?? 1), c.name);
        for (const r of mine) {
          assert.equal(r.unit_name === null, app, `${c.name}: unit_name ${r.unit_name}`);
          assert.equal(r.is_ca, c.isCa === true, c.name);
        }
      }
    });

    for (const c of cases) {
      it(`serves ${c.name} with a ${c.caKey} CA`, async () => {
        const ca = makeCa({ keyType: c.caKey });
        const requests = (await outstanding(sim)).filter((r) => r.application_name === c.name);
        for (const request of requests) {
          const certificate = signCsr(request.csr, ca, { isCa: request.is_ca });
          const run = await provide(sim, { csr: request.csr, certificate, caCertificate: ca.pem });
          assert.equal(run.status, "completed", `${c.name}: ${run.message}`);
        }
        const units =
          c.config?.["mode"] === "app" ? [`${c.name}/0`] : requests.map((r) => r.unit_name ?? "");
        for (const unit of units) {
          const got = await received(sim, unit);
          assert.ok(Array.isArray(got), `${unit}: ${String(got)}`);
          assert.equal(got.length, 1, unit);
          assert.equal(got[0]?.["ca-certificate"].trim(), ca.pem.trim());
        }
      });
    }

    it("leaves nothing outstanding once every requirer is served", async () => {
      assert.deepEqual(await outstanding(sim), []);
      for (const relationId of Object.values(relations)) {
        const run = await sim.runAction(LEADER, "get-certificate-request", {
          "relation-id": relationId,
        });
        const listed = JSON.parse(String(run.results["result"])) as { has_certificate: boolean }[];
        assert.ok(listed.length > 0 && listed.every((r) => r.has_certificate));
      }
    });
  });
}
