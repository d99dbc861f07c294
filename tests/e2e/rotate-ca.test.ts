// Rotating the CA through the real dispatch: what the old CA signed is listed by issuer, signed
// again by the new CA and handed back in one provide-certificates run, which replaces each old
// certificate for the same CSR; requirers of every library generation take the new one.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr, type CaFixture } from "../x509/fixtures.ts";
import {
  LEADER,
  OPERATOR,
  base64,
  deployModel,
  outstanding,
  received,
  type RequirerSpec,
} from "./harness.ts";

const REQUIRERS: readonly (RequirerSpec & { name: string })[] = [
  { name: "lib-v1", config: { library: "v1", "key-type": "rsa" } },
  { name: "lib-v2-old", config: { library: "v2", libpatch: 18, "key-type": "ec" } },
  { name: "lib-v3", config: { library: "v3", "key-type": "ed25519" } },
  { name: "lib-v4-old", config: { library: "v4", libpatch: 24, "key-type": "ec" } },
  { name: "lib-v4-app", config: { library: "v4", mode: "app", "key-type": "rsa" } },
  { name: "charmlibs", config: { library: "charmlibs", "key-type": "ec" }, units: 2 },
  { name: "charmlibs-ca", config: { library: "charmlibs", "is-ca": true, "key-type": "ec" } },
];

const UNITS = REQUIRERS.flatMap(({ name, units = 1 }) =>
  Array.from({ length: units }, (_, i) => `${name}/${i}`),
);

interface Issued {
  relation_id: number;
  csr: string;
  is_ca: boolean;
  serial: string;
}

interface PublishedEntry {
  certificate_signing_request: string;
  ca: string;
  certificate: string;
}

describe("rotating the CA: provide-certificates replaces what the old CA signed", () => {
  let sim: Simulator;
  let relations: Readonly<Record<string, number>>;
  let oldCa: CaFixture;
  let newCa: CaFixture;
  const newCertificates = new Map<string, string>();

  async function issuedBy(ca: CaFixture): Promise<Issued[]> {
    const run = await sim.runAction(LEADER, "get-issued-certificates", { issuer: base64(ca.pem) });
    assert.equal(run.status, "completed", run.message);
    return JSON.parse(String(run.results["result"])) as Issued[];
  }

  async function provideAll(ca: CaFixture, requests: readonly { csr: string; is_ca: boolean }[]) {
    const signed = requests.map((r) => {
      const certificate = signCsr(r.csr, ca, { isCa: r.is_ca, days: 365 });
      newCertificates.set(r.csr.trim(), certificate.trim());
      return certificate;
    });
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(signed.join("\n")),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(run.status, "completed", run.message);
    assert.deepEqual(
      [run.results["provided"], run.results["refused"], run.results["unmatched"]],
      [String(requests.length), "0", "0"],
      String(run.results["result"]),
    );
  }

  before(async () => {
    ({ sim, relations } = await deployModel({ requirers: REQUIRERS }));
    oldCa = makeCa({ commonName: "Example CA", keyType: "rsa-2048" });
    newCa = makeCa({ commonName: "Example CA", keyType: "ec-p384" });
    await provideAll(oldCa, await outstanding(sim));
  });

  it("every requirer holds a certificate from the old CA to begin with", async () => {
    for (const unit of UNITS) {
      const got = await received(sim, unit);
      assert.ok(Array.isArray(got), `${unit}: ${String(got)}`);
      assert.equal(got[0]?.["ca-certificate"].trim(), oldCa.pem.trim(), unit);
    }
  });

  it("lists by issuer exactly what the old CA signed, though both CAs bear the same name", async () => {
    const issued = await issuedBy(oldCa);
    assert.equal(issued.length, UNITS.length);
    assert.deepEqual(await issuedBy(newCa), []);
    assert.deepEqual(
      issued.filter((entry) => entry.is_ca).map((entry) => entry.relation_id),
      [relations["charmlibs-ca"]],
    );
  });

  it("replaces each old certificate for the same CSR in one provide-certificates run", async () => {
    newCertificates.clear();
    await provideAll(newCa, await issuedBy(oldCa));
    assert.deepEqual(await issuedBy(oldCa), []);
    assert.equal((await issuedBy(newCa)).length, UNITS.length);
    for (const [name, relationId] of Object.entries(relations)) {
      const published = JSON.parse(
        sim.relationData(relationId, OPERATOR)["certificates"] ?? "[]",
      ) as PublishedEntry[];
      const csrs = published.map((entry) => entry.certificate_signing_request);
      assert.equal(new Set(csrs).size, csrs.length, `${name}: one certificate per CSR`);
      for (const entry of published) {
        assert.equal(entry.ca, newCa.pem.trim(), name);
        assert.equal(entry.certificate, newCertificates.get(entry.certificate_signing_request));
      }
    }
  });

  it("requirers of every library version take the new certificate and the new CA", async () => {
    for (const unit of UNITS) {
      const got = await received(sim, unit);
      assert.ok(Array.isArray(got), `${unit}: ${String(got)}`);
      assert.equal(got.length, 1, unit);
      assert.equal(got[0]?.certificate.trim(), newCertificates.get(got[0]!.csr.trim()), unit);
      assert.equal(got[0]?.["ca-certificate"].trim(), newCa.pem.trim(), unit);
    }
  });
});
