// The signing policy through the real dispatch, with the requirer test charm reading what the
// provider says as charmlibs does. A few scenarios, each checking several things; the many
// small cases run in-process in tests/policy/.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { general, issue, makeTestCa, type TestCa } from "../policy/issuer.ts";
import {
  CHARM_DIR,
  LEADER,
  OPERATOR,
  REQUIRER_DIR,
  base64,
  outstanding,
  provide,
  received,
} from "./harness.ts";

interface RequestErrorItem {
  csr: string;
  error: { code: number; name: string; message: string; reason?: string };
}

const requestErrors = (sim: Simulator, relationId: number): RequestErrorItem[] =>
  JSON.parse(
    sim.relationData(relationId, OPERATOR)["request_errors"] ?? "[]",
  ) as RequestErrorItem[];

const policyText = (apiNames: readonly string[], enforcement = "reject") => `
enforcement: ${enforcement}
applications:
  web:
    dns: ["web.example.com"]
  api:
    dns: ${JSON.stringify(apiNames)}
`;

describe("signing policy, reject: requirers are told, and a policy change lifts it", () => {
  let sim: Simulator;
  let relations: Record<string, number>;
  let ca: TestCa;

  before(async () => {
    sim = await Simulator.create({ modelName: "policy" });
    await sim.deploy(OPERATOR, CHARM_DIR, {
      config: { "signing-policy": policyText(["api.example.com"]) },
    });
    relations = {};
    for (const [app, name] of [
      ["web", "web.example.com"],
      ["api", "evil.example.com"],
    ] as const) {
      await sim.deploy(app, REQUIRER_DIR, { config: { "key-type": "ec", "common-name": name } });
      relations[app] = await sim.integrate(`${OPERATOR}:certificates`, `${app}:certificates`);
    }
    ca = makeTestCa();
  });

  it("publishes a request error the requirer reads, counts it in the status, and lists only the rest", async () => {
    const [refusal, ...more] = requestErrors(sim, relations["api"]!);
    assert.deepEqual(more, []);
    assert.deepEqual(refusal?.error, {
      code: 102,
      name: "domain_not_allowed",
      message:
        "refused by the signing policy: CN=evil.example.com is not allowed for api (allowed: api.example.com); " +
        "DNS:evil.example.com is not allowed for api (allowed: api.example.com)",
      reason: "signing-policy",
    });
    assert.deepEqual(requestErrors(sim, relations["web"]!), []);
    assert.deepEqual(statusOf(sim), {
      status: "active",
      message:
        "1 outstanding request, use juju actions to provide certificates; 1 request refused by the signing policy",
    });
    const got = await received(sim, "api/0");
    assert.equal(
      got,
      "Certificate not available: 0/1 certificate requests are fulfilled; certificate denied by the provider: 102 domain_not_allowed: " +
        refusal?.error.message,
    );
    const listed = await outstanding(sim);
    assert.deepEqual(
      listed.map((entry) => [entry.application_name, (entry as { policy?: unknown }).policy]),
      [["web", { allowed: true }]],
    );
  });

  it("provides what passes, refuses what does not and writes nothing for it", async () => {
    const [web] = await outstanding(sim);
    const run = await provide(sim, {
      csr: web!.csr,
      certificate: issue(web!.csr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    assert.equal(run.results["warnings"], undefined);
    assert.ok(Array.isArray(await received(sim, "web/0")));

    const apiCsr = requestErrors(sim, relations["api"]!)[0]!.csr;
    const before = sim.relationData(relations["api"]!, OPERATOR);
    const refused = await provide(sim, {
      csr: apiCsr,
      certificate: issue(apiCsr, ca),
      caCertificate: ca.pem,
    });
    assert.equal(refused.status, "failed");
    assert.match(
      refused.message ?? "",
      /^the signing policy refuses this certificate for api\/0 \(2 violations\): CN=evil\.example\.com is not allowed for api/,
    );
    assert.deepEqual(sim.relationData(relations["api"]!, OPERATOR), before);
  });

  it("a policy that now allows the request withdraws the refusal; the batch then provides it", async () => {
    await sim.config(OPERATOR, {
      "signing-policy": policyText(["api.example.com", "evil.example.com"]),
    });
    assert.equal(sim.relationData(relations["api"]!, OPERATOR)["request_errors"], undefined);
    assert.deepEqual(statusOf(sim), {
      status: "active",
      message: "1 outstanding request, use juju actions to provide certificates",
    });
    const [api] = await outstanding(sim);
    assert.equal(api?.application_name, "api");
    const batch = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(issue(api!.csr, ca)),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(batch.status, "completed", batch.message);
    assert.deepEqual([batch.results["provided"], batch.results["refused"]], ["1", "0"]);
    const got = await received(sim, "api/0");
    assert.ok(Array.isArray(got), String(got));
  });
});

describe("signing policy, refuse and warn, and an invalid policy", () => {
  let sim: Simulator;
  let relationId: number;
  let ca: TestCa;
  const db = (enforcement: string) => `
enforcement: ${enforcement}
applications:
  db:
    dns: ["cert-0.unit-0.db.policy"]
    max-validity: 90d
`;

  before(async () => {
    sim = await Simulator.create({ modelName: "policy" });
    await sim.deploy(OPERATOR, CHARM_DIR, { config: { "signing-policy": db("refuse") } });
    await sim.deploy("db", REQUIRER_DIR, { units: 2, config: { "key-type": "ec" } });
    relationId = await sim.integrate(`${OPERATOR}:certificates`, "db:certificates");
    ca = makeTestCa();
  });

  it("refuse: the batch provides what passes and refuses the rest with every reason", async () => {
    const requests = await outstanding(sim);
    assert.equal(requests.length, 2);
    assert.deepEqual(requestErrors(sim, relationId), [], "refuse publishes no request error");
    const bundle = requests.map((request) => issue(request.csr, ca)).join("\n");
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(bundle),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(run.status, "completed", run.message);
    assert.deepEqual([run.results["provided"], run.results["refused"]], ["1", "1"]);
    const [refused] = JSON.parse(String(run.results["result"])) as { reason: string }[];
    assert.equal(
      refused?.reason,
      "the signing policy refuses this certificate for db/1 (2 violations): " +
        "CN=cert-0.unit-1.db.policy is not allowed for db (allowed: cert-0.unit-0.db.policy); " +
        "DNS:cert-0.unit-1.db.policy is not allowed for db (allowed: cert-0.unit-0.db.policy)",
    );
    assert.ok(Array.isArray(await received(sim, "db/0")));
    assert.equal(typeof (await received(sim, "db/1")), "string");
  });

  it("refuse: a certificate with a name the CSR did not ask for is refused, the one given stays", async () => {
    const issued = JSON.parse(
      String((await sim.runAction(LEADER, "get-issued-certificates")).results["result"]),
    ) as { unit_name: string; policy: unknown }[];
    assert.deepEqual(
      issued.map((entry) => [entry.unit_name, entry.policy]),
      [["db/0", { allowed: true }]],
    );
    const csr = (await requestsOf(sim, relationId)).find(
      (entry) => entry.unit_name === "db/0",
    )!.csr;
    const before = sim.relationData(relationId, OPERATOR)["certificates"];
    const run = await provide(sim, {
      csr,
      certificate: issue(csr, ca, {
        sans: [general.dns("cert-0.unit-0.db.policy"), general.dns("admin.db.policy")],
      }),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "failed");
    assert.match(
      run.message ?? "",
      /DNS:admin\.db\.policy is in the certificate but the CSR did not ask for it$/,
    );
    assert.equal(sim.relationData(relationId, OPERATOR)["certificates"], before);
  });

  it("warn: the certificate is provided and the result carries the violations", async () => {
    await sim.config(OPERATOR, { "signing-policy": db("warn") });
    const [request] = await outstanding(sim);
    assert.equal(request?.unit_name, "db/1");
    const run = await provide(sim, {
      csr: request!.csr,
      certificate: issue(request!.csr, ca, { days: 120 }),
      caCertificate: ca.pem,
    });
    assert.equal(run.status, "completed", run.message);
    assert.deepEqual(JSON.parse(String(run.results["warnings"])), [
      "CN=cert-0.unit-1.db.policy is not allowed for db (allowed: cert-0.unit-0.db.policy)",
      "DNS:cert-0.unit-1.db.policy is not allowed for db (allowed: cert-0.unit-0.db.policy)",
      "the certificate is valid for 120d, longer than max-validity 90d for db",
    ]);
    assert.ok(Array.isArray(await received(sim, "db/1")));
  });

  it("an invalid policy blocks, names the problem, writes nothing and refuses every certificate", async () => {
    const published = sim.relationData(relationId, OPERATOR);
    await sim.config(OPERATOR, {
      "signing-policy": db("refuse").replace("cert-0.unit-0.db.policy", "cert-*.db.policy"),
    });
    const problem =
      'signing-policy: applications.db.dns[0]: "cert-*.db.policy": a wildcard must be a whole leftmost label';
    assert.deepEqual(statusOf(sim), { status: "blocked", message: problem });
    assert.deepEqual(sim.relationData(relationId, OPERATOR), published);
    const listed = await requestsOf(sim, relationId);
    assert.deepEqual(
      listed.map((entry) => entry.policy),
      [{ error: problem }, { error: problem }],
    );
    const csr = listed[0]!.csr;
    const run = await provide(sim, { csr, certificate: issue(csr, ca), caCertificate: ca.pem });
    assert.equal(run.status, "failed");
    assert.ok(run.message?.startsWith(`${problem}. No certificate is provided`), run.message);
    assert.deepEqual(sim.relationData(relationId, OPERATOR), published);
  });
});

/** Every request of the relation, as get-certificate-request lists it. */
async function requestsOf(
  sim: Simulator,
  relationId: number,
): Promise<{ csr: string; unit_name: string; policy: unknown }[]> {
  const run = await sim.runAction(LEADER, "get-certificate-request", { "relation-id": relationId });
  assert.equal(run.status, "completed", run.message);
  return JSON.parse(String(run.results["result"])) as {
    csr: string;
    unit_name: string;
    policy: unknown;
  }[];
}

const statusOf = (sim: Simulator) => {
  const { status, message } = sim.unitStatus(`${OPERATOR}/0`);
  return { status, message };
};
