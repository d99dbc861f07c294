// The integration scenarios, written once against Driver. Like the reference charm's jubilant
// suite they share one model and run in order, each building on the state the previous left:
// a real deploy takes minutes, so the model is not remade per scenario.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { makeCa, signCsr, type CaFixture } from "../x509/fixtures.ts";
import { eventually, type ActionOutcome, type Driver } from "./driver.ts";

export const OPERATOR = "tls-certificates-operator";
export const REQUIRER = "tls-requirer";
export const APP_REQUIRER = "tls-requirer-app";

interface Request {
  relation_id: number;
  application_name: string;
  unit_name: string | null;
  csr: string;
  is_ca: boolean;
}

interface Received {
  certificate: string;
  "ca-certificate": string;
  csr?: string;
}

interface Published {
  certificate_signing_request: string;
  certificate: string;
  ca: string;
}

const base64 = (text: string): string => Buffer.from(text).toString("base64");

function completed(run: ActionOutcome, what: string): Record<string, unknown> {
  if (run.status !== "completed") throw new Error(`${what} failed: ${run.message ?? "no message"}`);
  return run.results;
}

/** Charmhub's requirer returns `certificates` as JSON text; older revisions flat keys. */
function receivedCertificates(results: Record<string, unknown>): Received[] {
  const raw = results["certificates"];
  if (typeof raw === "string") return JSON.parse(raw) as Received[];
  if (Array.isArray(raw)) return raw as Received[];
  if (typeof results["certificate"] === "string") return [results as unknown as Received];
  throw new Error(`get-certificate returned no certificates: ${JSON.stringify(results)}`);
}

export interface SuiteOptions {
  /** A reason to skip every scenario, or undefined to run them. */
  readonly skip?: string | undefined;
  /** Per scenario; a real controller needs minutes. */
  readonly timeoutMs?: number;
}

export function integrationScenarios(
  title: string,
  openDriver: () => Promise<Driver>,
  options: SuiteOptions = {},
): void {
  const skip = options.skip;
  const testOptions = { ...(skip ? { skip } : {}), timeout: options.timeoutMs ?? 120_000 };

  describe(title, () => {
    let driver: Driver;
    let ca: CaFixture;
    /** What each requirer unit was given, by unit name ("app" mode: by application). */
    const provided = new Map<string, { csr: string; certificate: string }>();

    if (!skip) {
      before(async () => {
        driver = await openDriver();
        ca = makeCa({ commonName: "Integration test CA" });
      });
      after(async () => {
        await driver?.destroy();
      });
    }

    const leader = async (): Promise<string> => driver.leader(OPERATOR);

    async function outstanding(expected: number): Promise<Request[]> {
      return eventually(driver.patience, async () => {
        const results = completed(
          await driver.runAction(await leader(), "get-outstanding-certificate-requests"),
          "get-outstanding-certificate-requests",
        );
        const requests = JSON.parse(String(results["result"])) as Request[];
        assert.equal(requests.length, expected, `outstanding: ${JSON.stringify(requests)}`);
        return requests;
      });
    }

    async function sign(request: Request): Promise<string> {
      const certificate = signCsr(request.csr, ca);
      const results = completed(
        await driver.runAction(await leader(), "provide-certificate", {
          "certificate-signing-request": base64(request.csr),
          certificate: base64(certificate),
          "ca-certificate": base64(ca.pem),
        }),
        "provide-certificate",
      );
      assert.equal(results["result"], "Certificates successfully provided.");
      provided.set(request.unit_name ?? request.application_name, {
        csr: request.csr,
        certificate,
      });
      return certificate;
    }

    async function assertReceived(unit: string, key: string = unit): Promise<void> {
      const expected = provided.get(key);
      assert.ok(expected, `nothing was provided for ${key}`);
      await driver.settle();
      await eventually(driver.patience, async () => {
        const results = completed(
          await driver.runAction(unit, "get-certificate"),
          "get-certificate",
        );
        const [got] = receivedCertificates(results);
        assert.equal(got?.certificate.trim(), expected.certificate.trim(), `${unit}'s certificate`);
        assert.equal(got?.["ca-certificate"].trim(), ca.pem.trim(), `${unit}'s CA`);
      });
    }

    async function published(requirer: string): Promise<Published[]> {
      const bag = await driver.providerAppData(OPERATOR, requirer);
      return JSON.parse(bag["certificates"] ?? "[]") as Published[];
    }

    it(
      "deploys and integrates with a requirer: status shows one outstanding request",
      testOptions,
      async () => {
        await driver.deployOperator(OPERATOR);
        await driver.deployRequirer(REQUIRER);
        await driver.integrate(OPERATOR, REQUIRER);
        await driver.settle();
        await eventually(driver.patience, async () => {
          assert.deepEqual(await driver.unitStatus(await leader()), {
            status: "active",
            message: "1 outstanding request, use juju actions to provide certificates",
          });
        });
        const [request] = await outstanding(1);
        assert.equal(request?.application_name, REQUIRER);
        assert.equal(request?.unit_name, `${REQUIRER}/0`);
        assert.equal(request?.is_ca, false);
      },
    );

    it("hands the requirer the certificate our CA signed for its CSR", testOptions, async () => {
      const [request] = await outstanding(1);
      assert.ok(request);
      await sign(request);
      await assertReceived(`${REQUIRER}/0`);
      await driver.settle();
      await outstanding(0);
      await eventually(driver.patience, async () => {
        assert.equal((await driver.unitStatus(await leader())).message, "No outstanding requests.");
      });
    });

    it("serves every unit of a requirer scaled to three", testOptions, async () => {
      await driver.addUnits(REQUIRER, 2);
      await driver.settle();
      const requests = await outstanding(2);
      for (const request of requests) await sign(request);
      const units = await driver.units(REQUIRER);
      assert.equal(units.length, 3);
      for (const unit of units) await assertReceived(unit);
      assert.equal((await published(REQUIRER)).length, 3);
    });

    it("withdraws the certificate of a requirer unit that is removed", testOptions, async () => {
      const [kept, ...rest] = await driver.units(REQUIRER);
      // The highest-numbered unit: on Kubernetes, scaling down is the only removal juju offers.
      const removed = rest.at(-1);
      assert.ok(kept && removed);
      const gone = provided.get(removed);
      assert.ok(gone);
      await driver.removeUnit(removed);
      await driver.settle();
      await eventually(driver.patience, async () => {
        const csrs = (await published(REQUIRER)).map((c) => c.certificate_signing_request.trim());
        assert.ok(!csrs.includes(gone.csr.trim()), `${removed}'s certificate is still published`);
        assert.equal(csrs.length, 2);
      });
      await assertReceived(kept);
    });

    it("serves a requirer in app mode", testOptions, async () => {
      await driver.deployRequirer(APP_REQUIRER);
      await driver.config(APP_REQUIRER, { mode: "app" });
      await driver.integrate(OPERATOR, APP_REQUIRER);
      await driver.settle();
      const request = await eventually(driver.patience, async () => {
        const requests = (await outstanding(1)).filter((r) => r.application_name === APP_REQUIRER);
        assert.equal(requests.length, 1);
        return requests[0]!;
      });
      assert.equal(request.unit_name, null, "an app-mode request belongs to no unit");
      await sign(request);
      await assertReceived(await driver.leader(APP_REQUIRER), APP_REQUIRER);
    });
  });
}
