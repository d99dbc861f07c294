import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { ActionRun, Simulator } from "../simulator/index.ts";
import {
  makeCa,
  makeCsr,
  makeKey,
  makeSelfSigned,
  signCsr,
  type CaFixture,
} from "../x509/fixtures.ts";
import {
  LEADER,
  OPERATOR,
  base64,
  deployModel,
  followerOf,
  listed,
  outstanding,
  provide,
  received,
  type RequestView,
} from "./harness.ts";

describe("provide-certificate refuses bad input with a message naming it, and writes nothing", () => {
  let sim: Simulator;
  let relationId: number;
  let request: RequestView;
  let otherUnitRequest: RequestView;
  let ca: CaFixture;
  let good: string;

  before(async () => {
    const model = await deployModel({
      operatorUnits: 2,
      requirers: [{ units: 2, config: { "key-type": "ec" } }],
    });
    sim = model.sim;
    relationId = model.relations["tls-requirer"] ?? -1;
    const requests = await outstanding(sim);
    request = requests.find((r) => r.unit_name === "tls-requirer/0")!;
    otherUnitRequest = requests.find((r) => r.unit_name === "tls-requirer/1")!;
    ca = makeCa({ keyType: "rsa-2048" });
    good = signCsr(request.csr, ca);
  });

  const ourCertificates = () => sim.relationData(relationId, OPERATOR)["certificates"];

  async function refused(
    given: Parameters<typeof provide>[1] | Record<string, unknown>,
    pattern: RegExp,
    unit = LEADER,
  ): Promise<ActionRun> {
    const before = ourCertificates();
    const run =
      "csr" in given
        ? await provide(sim, given as Parameters<typeof provide>[1], unit)
        : await sim.runAction(unit, "provide-certificate", given);
    assert.equal(run.status, "failed", `expected a failure, got ${JSON.stringify(run.results)}`);
    assert.match(run.message ?? "", pattern);
    assert.equal(ourCertificates(), before, "a failed provide-certificate wrote to the databag");
    return run;
  }

  it("on a non-leader unit, says to run it on the leader", async () => {
    const follower = followerOf(sim);
    await refused(
      { csr: request.csr, certificate: good, caCertificate: ca.pem },
      new RegExp(
        `${follower} is not the leader; run this action on the leader: ` +
          "juju run tls-certificates-operator/leader provide-certificate",
      ),
      follower,
    );
  });

  it("refuses a relation-id that is not a certificates relation, listing the ones that are", async () => {
    await refused(
      { csr: request.csr, certificate: good, caCertificate: ca.pem, relationId: 99 },
      new RegExp(
        `relation-id 99 is not a certificates relation of ${OPERATOR}; its certificates relations are: ${relationId}`,
      ),
    );
  });

  it("refuses input that is neither base64 nor PEM", async () => {
    await refused(
      {
        "certificate-signing-request": base64(request.csr),
        certificate: "%%% not base64 %%%",
        "ca-certificate": base64(ca.pem),
      },
      /^certificate: /,
    );
  });

  it("refuses a CSR where a certificate belongs", async () => {
    await refused(
      { csr: request.csr, certificate: request.csr, caCertificate: ca.pem },
      /^certificate: .*CERTIFICATE REQUEST/,
    );
  });

  it("refuses a private key without echoing it", async () => {
    const key = makeKey("ec-p256");
    const run = await refused(
      { csr: request.csr, certificate: good, caCertificate: key },
      /^ca-certificate: .*private key/,
    );
    // The key went in base64-encoded: neither that text nor the PEM inside may come back out,
    // not even in part. Any echo of 31 characters or more holds one of these 16-character pieces.
    const pieces = (text: string) => text.match(/.{16}/g) ?? [];
    const secrets = [
      ...pieces(base64(key)),
      ...key
        .split("\n")
        .filter((line) => !line.startsWith("-----"))
        .flatMap(pieces),
    ];
    assert.ok(secrets.length > 10);
    const seen = [
      run.message ?? "",
      JSON.stringify(run.results),
      run.stdout,
      run.stderr,
      ...run.logs,
      ...[`${OPERATOR}/0`, `${OPERATOR}/1`].flatMap((unit) =>
        sim.logs(unit).map((line) => line.message),
      ),
    ];
    for (const text of seen) {
      const leaked = secrets.find((secret) => text.includes(secret));
      assert.equal(leaked, undefined, `part of the private key came back out: ${text}`);
    }
  });

  it("refuses several certificates where one belongs", async () => {
    await refused(
      { csr: request.csr, certificate: `${good}\n${ca.pem}`, caCertificate: ca.pem },
      /^certificate: .*2/,
    );
  });

  it("refuses a CSR no requirer asked for", async () => {
    const stranger = makeCsr();
    await refused(
      { csr: stranger.pem, certificate: signCsr(stranger, ca), caCertificate: ca.pem },
      /^certificate-signing-request: no requirer asks for this CSR/,
    );
  });

  it("refuses a certificate whose key is not the CSR's", async () => {
    const other = signCsr(otherUnitRequest.csr, ca);
    await refused(
      { csr: request.csr, certificate: other, caCertificate: ca.pem },
      /^certificate: public key .* does not match the CSR's/,
    );
  });

  it("says certificate and ca-certificate are swapped when they are, not that it was issued for another request", async () => {
    await refused(
      { csr: request.csr, certificate: ca.pem, caCertificate: good },
      /^certificate: is a CA certificate \(CN=Fixture CA \d+\) and ca-certificate \(CN=[^)]+\) holds this CSR's public key: the two are swapped; give the certificate signed for the CSR as certificate and the CA's as ca-certificate$/,
    );
  });

  it("says the CA's certificate was given where the certificate belongs", async () => {
    await refused(
      { csr: request.csr, certificate: ca.pem, caCertificate: ca.pem },
      /^certificate: is a CA certificate \(CN=Fixture CA \d+\), not the one signed for this CSR; give the certificate your CA signed for the CSR as certificate and the CA's own as ca-certificate$/,
    );
  });

  it("says the certificate for this CSR was given where the CA's belongs", async () => {
    await refused(
      { csr: request.csr, certificate: good, caCertificate: good },
      /^ca-certificate: is the certificate signed for this CSR \(CN=[^)]+\), not the CA's; give the certificate of the CA that signed it as ca-certificate$/,
    );
  });

  it("refuses a unit-name that did not ask for the CSR", async () => {
    await refused(
      { csr: request.csr, certificate: good, caCertificate: ca.pem, unitName: "tls-requirer/1" },
      /unit tls-requirer\/1 does not ask for this CSR/,
    );
    await refused(
      { csr: request.csr, certificate: good, caCertificate: ca.pem, unitName: "tls-requirer/7" },
      /^unit-name: tls-requirer\/7 is not a unit of a requirer/,
    );
  });

  it("refuses a certificate signed by another CA than ca-certificate", async () => {
    const stranger = makeCa();
    await refused(
      { csr: request.csr, certificate: signCsr(request.csr, stranger), caCertificate: ca.pem },
      /^certificate: the chain breaks: certificate .* is not signed by ca-certificate/,
    );
  });

  it("refuses a CA with the same name but another key: signatures are checked, not names", async () => {
    const impostor = makeCa({ commonName: ca.commonName });
    await refused(
      { csr: request.csr, certificate: signCsr(request.csr, impostor), caCertificate: ca.pem },
      /names match but the signature does not verify/,
    );
  });

  it("refuses an expired certificate and one not valid yet", async () => {
    const day = 86_400_000;
    const expired = signCsr(request.csr, ca, {
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    await refused(
      { csr: request.csr, certificate: expired, caCertificate: ca.pem },
      /^certificate: certificate .* has expired/,
    );
    const future = signCsr(request.csr, ca, {
      notBefore: new Date(Date.now() + 2 * day),
      notAfter: new Date(Date.now() + 20 * day),
    });
    await refused(
      { csr: request.csr, certificate: future, caCertificate: ca.pem },
      /is not valid yet/,
    );
  });

  it("refuses a CA certificate for a request that asked for a leaf", async () => {
    await refused(
      {
        csr: request.csr,
        certificate: signCsr(request.csr, ca, { isCa: true }),
        caCertificate: ca.pem,
      },
      /^certificate: is a CA certificate but the request asked for a leaf certificate/,
    );
  });

  it("refuses a self-signed certificate for a request a requirer made", async () => {
    const selfSigned = makeSelfSigned();
    const csr = makeCsr({ key: selfSigned.key });
    const bag = sim.relationData(relationId, "tls-requirer/1");
    const items = JSON.parse(bag["certificate_signing_requests"] ?? "[]") as unknown[];
    // The requirer's write reaches the operator as Juju delivers it: with its -changed.
    sim.setRelationData(
      relationId,
      "tls-requirer/1",
      {
        ...bag,
        certificate_signing_requests: JSON.stringify([
          ...items,
          { certificate_signing_request: csr.pem.trim(), ca: false },
        ]),
      },
      { notify: true },
    );
    await sim.settle();
    await refused(
      { csr: csr.pem, certificate: selfSigned.pem, caCertificate: selfSigned.pem },
      /^certificate: is self-signed/,
    );
  });

  it("refuses a chain given root first, saying it must be leaf first", async () => {
    const root = makeCa();
    const intermediate = makeCa({ issuer: root });
    const leaf = signCsr(request.csr, intermediate);
    await refused(
      {
        csr: request.csr,
        certificate: leaf,
        caCertificate: root.pem,
        chain: [root.pem, intermediate.pem, leaf].join("\n"),
      },
      /^ca-chain: .*leaf first/,
    );
  });

  it("refuses unknown parameters at the Juju level", async () => {
    await assert.rejects(
      sim.runAction(LEADER, "provide-certificate", {
        "certificate-signing-request": "x",
        certificate: "x",
        "ca-certificate": "x",
        colour: "blue",
      }),
      /validation failed/,
    );
  });

  it("accepts a chain through an intermediate, stores it leaf first, and replaces an earlier answer", async () => {
    const first = await provide(sim, {
      csr: request.csr,
      certificate: good,
      caCertificate: ca.pem,
    });
    assert.equal(first.status, "completed", first.message);

    const root = makeCa({ keyType: "ec-p384" });
    const intermediate = makeCa({ issuer: root, keyType: "ed25519" });
    const leaf = signCsr(request.csr, intermediate);
    const run = await provide(sim, {
      csr: request.csr,
      certificate: leaf,
      caCertificate: root.pem,
      chain: [leaf, intermediate.pem, root.pem].join("\n"),
      relationId,
      unitName: "tls-requirer/0",
    });
    assert.equal(run.status, "completed", run.message);
    const entries = JSON.parse(ourCertificates() ?? "[]") as {
      chain: string[];
      certificate: string;
    }[];
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0]?.chain, [leaf.trim(), intermediate.pem.trim(), root.pem.trim()]);
    const got = await received(sim, "tls-requirer/0");
    assert.ok(Array.isArray(got), String(got));
    assert.equal(got[0]?.certificate.trim(), leaf.trim());
  });

  it("accepts plain PEM as well as base64", async () => {
    const run = await sim.runAction(LEADER, "provide-certificate", {
      "certificate-signing-request": otherUnitRequest.csr,
      certificate: signCsr(otherUnitRequest.csr, ca),
      "ca-certificate": ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    assert.equal(run.results["unit-name"], "tls-requirer/1");
  });
});

// Juju's resolver takes an action before the relation hooks a unit owes
// (internal/worker/uniter/resolver.go): right after `juju integrate`, the operator's unit has run
// relation-created at most, and the requirer may not even have entered the relation's scope.
describe("an action right after integrate, before the relation hooks, sees no requirer yet", () => {
  let sim: Simulator;
  let request: RequestView;
  let certificate: string;
  const ca = makeCa();

  before(async () => {
    const model = await deployModel({ requirers: [{ units: 1 }] });
    sim = model.sim;
    [request] = (await outstanding(sim)) as [RequestView];
    certificate = signCsr(request.csr, ca);
    // The requirer keeps its key and CSR when the relation goes, and asks again for the same.
    await sim.removeRelation(model.relations["tls-requirer"]!);
  });

  const integrateUnsettled = () =>
    sim.integrate(`${OPERATOR}:certificates`, "tls-requirer:certificates", { settle: false });

  it("get-outstanding-certificate-requests lists nothing: tls-requirer/0 is not in relation-list", async () => {
    const id = await integrateUnsettled();
    const run = await sim.runAction(
      LEADER,
      "get-outstanding-certificate-requests",
      {},
      {
        settle: false,
      },
    );
    assert.deepEqual(listed(run), []);
    await sim.settle();
    assert.deepEqual(
      (await outstanding(sim)).map((r) => [r.relation_id, r.unit_name]),
      [[id, "tls-requirer/0"]],
      "once the relation hooks have run, the same request is listed",
    );
    await sim.removeRelation(id);
  });

  it("provide-certificate finds no request for the CSR and writes nothing; once settled it does", async () => {
    const id = await integrateUnsettled();
    const params = {
      "certificate-signing-request": base64(request.csr),
      certificate: base64(certificate),
      "ca-certificate": base64(ca.pem),
    };
    const early = await sim.runAction(LEADER, "provide-certificate", params, { settle: false });
    assert.equal(early.status, "failed");
    assert.equal(
      early.message,
      `certificate-signing-request: no requirer asks for this CSR in relation ${id}; ` +
        "it may have been renewed or withdrawn (see get-outstanding-certificate-requests)",
    );
    assert.deepEqual(
      JSON.parse(sim.relationData(id, OPERATOR)["certificates"] ?? "[]"),
      [],
      "no certificate published",
    );
    assert.ok(!early.toolCalls.some((call) => call[0] === "relation-set"), "nothing written");
    await sim.settle();
    const late = await sim.runAction(LEADER, "provide-certificate", params);
    assert.equal(late.status, "completed", late.message);
    assert.equal(late.results["unit-name"], "tls-requirer/0");
  });
});
