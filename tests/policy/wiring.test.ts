// The signing policy wired into hooks and actions, in-process through the real router and a
// Juju in memory: state in, one event, state out.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryJuju, wroteRelation, type ActionResult } from "../robustness/memory-juju.ts";
import { general, issue, makeTestCa, testCsr } from "./issuer.ts";

const REQUESTS = "certificate_signing_requests";
const ca = makeTestCa();
const b64 = (text: string) => Buffer.from(text).toString("base64");

const POLICY = (enforcement: string, extra = "") => `
enforcement: ${enforcement}
applications:
  postgresql:
    dns: ["db.example.com", "*.db.example.com", "{unit}.pg.internal"]
    deny-dns: ["admin.example.com"]
    ip: ["10.0.0.0/8"]
    max-validity: 90d${extra}
`;

const csrs = {
  good: testCsr({ cn: "db.example.com", sans: [general.dns("db.example.com")] }),
  unitName: testCsr({ sans: [general.dns("postgresql-1.pg.internal")] }),
  evil: testCsr({ cn: "evil.example.com", sans: [general.dns("evil.example.com")] }),
  ip: testCsr({ sans: [general.ip([192, 168, 0, 1])] }),
  wildcard: testCsr({ sans: [general.dns("*.db.example.com")] }),
  mixed: testCsr({ sans: [general.dns("evil.example.com"), general.ip([192, 168, 0, 1])] }),
};

interface Parsed {
  csr: string;
  error: { code: number; name: string; message: string; reason?: string };
}

function model(config: Record<string, unknown> = {}): MemoryJuju {
  const juju = new MemoryJuju();
  juju.config = config;
  const bag = (...list: string[]) => ({
    [REQUESTS]: JSON.stringify(
      list.map((csr) => ({ certificate_signing_request: csr.trim(), ca: false })),
    ),
  });
  juju.addRelation("postgresql", {
    "postgresql/0": bag(csrs.good, csrs.evil, csrs.ip),
    "postgresql/1": bag(csrs.unitName, csrs.wildcard, csrs.mixed),
  });
  return juju;
}

const errors = (juju: MemoryJuju, relationId = 0): Parsed[] =>
  JSON.parse(juju.relation(relationId).ourAppData["request_errors"] ?? "[]") as Parsed[];
const errorFor = (juju: MemoryJuju, csr: string) => errors(juju).find((e) => e.csr === csr.trim());
const listing = (run: ActionResult): Record<string, unknown>[] => {
  assert.equal(run.failed, undefined, run.failed);
  return JSON.parse(run.results["result"] ?? "[]") as Record<string, unknown>[];
};

function provide(juju: MemoryJuju, csr: string, certificate: string): Promise<ActionResult> {
  return juju.action("provide-certificate", {
    "certificate-signing-request": b64(csr),
    certificate: b64(certificate),
    "ca-certificate": b64(ca.pem),
  });
}

describe("signing policy in hooks and actions (in-process)", () => {
  it("with no policy, listings say policy: null and add no column", async () => {
    const juju = model();
    const outstanding = listing(await juju.action("get-outstanding-certificate-requests", {}));
    assert.equal(outstanding.length, 6);
    assert.ok(outstanding.every((entry) => entry["policy"] === null));
    const text = await juju.action("get-outstanding-certificate-requests", { format: "text" });
    assert.doesNotMatch(text.results["result"] ?? "", /POLICY/);
  });

  it("listings give every request the policy's verdict, in JSON and as a POLICY column", async () => {
    const juju = model({ "signing-policy": POLICY("refuse") });
    const outstanding = listing(await juju.action("get-outstanding-certificate-requests", {}));
    const verdict = (csr: string) => outstanding.find((e) => e["csr"] === csr.trim())?.["policy"];
    assert.deepEqual(verdict(csrs.good), { allowed: true });
    assert.deepEqual(verdict(csrs.unitName), { allowed: true });
    assert.deepEqual(verdict(csrs.evil), {
      allowed: false,
      violations: [
        "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
        "DNS:evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
      ],
    });
  });

  it("the text listings show each request's first violation, and how many more, last", async () => {
    const juju = model({ "signing-policy": POLICY("refuse") });
    const evil =
      "CN=evil.example.com is not allowed for postgresql " +
      "(allowed: db.example.com, *.db.example.com, {unit}.pg.internal); and 1 more";
    for (const [action, params] of [
      ["get-certificate-request", { "relation-id": 0, format: "text" }],
      ["get-outstanding-certificate-requests", { format: "text" }],
    ] as const) {
      const text = await juju.action(action, params);
      const lines = (text.results["result"] ?? "").split("\n");
      assert.match(
        lines[0]!,
        /^RELATION\s+UNIT\/APP\s+(STATE\s+)?KEY\s+CA\s+RENEWS\s+SUBJECT\s+SANS\s+POLICY$/,
      );
      const row = (subject: string) => lines.find((l) => l.includes(subject)) ?? "";
      assert.ok(row("CN=evil.example.com").endsWith(evil), row("CN=evil.example.com"));
      assert.match(row("CN=evil.example.com"), /DNS:evil\.example\.com\s+CN=evil/);
      assert.match(row("CN=db.example.com"), /DNS:db\.example\.com\s+ok$/, action);
      assert.match(row("IP:192.168.0.1"), /IP:192\.168\.0\.1 is not allowed for postgresql/);
    }
  });

  it("refuse: provide-certificate refuses a violating certificate, naming each violation, and writes nothing", async () => {
    const juju = model({ "signing-policy": POLICY("refuse") });
    await juju.hook("update-status");
    assert.equal(
      juju.relation(0).ourAppData["request_errors"],
      undefined,
      "refuse rejects nothing",
    );
    const before = { ...juju.relation(0).ourAppData };
    const run = await provide(juju, csrs.evil, issue(csrs.evil, ca));
    assert.equal(
      run.failed,
      "the signing policy refuses this certificate for postgresql/0 (2 violations): " +
        "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal); " +
        "DNS:evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
    );
    assert.equal(wroteRelation(run.calls), false);
    assert.deepEqual(juju.relation(0).ourAppData, before);
    const ok = await provide(juju, csrs.good, issue(csrs.good, ca));
    assert.equal(ok.failed, undefined);
    assert.equal(ok.results["warnings"], undefined);
  });

  it("refuse: a certificate with a name the CSR did not ask for, or valid too long, is refused", async () => {
    const juju = model({ "signing-policy": POLICY("refuse") });
    const added = issue(csrs.good, ca, {
      sans: [general.dns("db.example.com"), general.dns("x.db.example.com")],
    });
    assert.match(
      (await provide(juju, csrs.good, added)).failed ?? "",
      /DNS:x\.db\.example\.com is in the certificate but the CSR did not ask for it$/,
    );
    assert.match(
      (await provide(juju, csrs.good, issue(csrs.good, ca, { days: 91 }))).failed ?? "",
      /the certificate is valid for 91d, longer than max-validity 90d for postgresql$/,
    );
    assert.equal(juju.relation(0).ourAppData["certificates"], undefined);
  });

  it("refuse: a request whose databag asks for a CA is refused under ca: false", async () => {
    const juju = new MemoryJuju();
    juju.config = { "signing-policy": POLICY("refuse") };
    const csr = testCsr({ cn: "db.example.com" });
    juju.addRelation("postgresql", {
      "postgresql/0": {
        [REQUESTS]: JSON.stringify([{ certificate_signing_request: csr.trim(), ca: true }]),
      },
    });
    const run = await provide(juju, csr, issue(csr, ca, { isCa: true }));
    assert.match(
      run.failed ?? "",
      /\(2 violations\): the request asks for a CA certificate \(its databag entry says ca: true\)/,
    );
    assert.equal(wroteRelation(run.calls), false);
  });

  it("warn: the certificate is provided and the result carries the violations as warnings", async () => {
    const juju = model({ "signing-policy": POLICY("warn") });
    const run = await provide(juju, csrs.ip, issue(csrs.ip, ca));
    assert.equal(run.failed, undefined);
    assert.deepEqual(JSON.parse(run.results["warnings"] ?? "null"), [
      "IP:192.168.0.1 is not allowed for postgresql (allowed: 10.0.0.0/8)",
    ]);
    assert.match(juju.relation(0).ourAppData["certificates"] ?? "", /BEGIN CERTIFICATE/);
    const issued = listing(await juju.action("get-issued-certificates", {}));
    assert.deepEqual(issued[0]?.["policy"], {
      allowed: false,
      violations: ["IP:192.168.0.1 is not allowed for postgresql (allowed: 10.0.0.0/8)"],
    });
  });

  it("provide-certificates under refuse counts a violating certificate as refused and provides the rest", async () => {
    const juju = model({ "signing-policy": POLICY("refuse") });
    const bundle = [csrs.good, csrs.evil, csrs.unitName].map((csr) => issue(csr, ca)).join("\n");
    const run = await juju.action("provide-certificates", {
      certificates: b64(bundle),
      "ca-certificate": b64(ca.pem),
    });
    assert.equal(run.failed, undefined);
    assert.deepEqual([run.results["provided"], run.results["refused"]], ["2", "1"]);
    const [first] = JSON.parse(run.results["result"]!) as Record<string, unknown>[];
    assert.equal(first?.["position"], 2);
    assert.match(
      String(first?.["reason"]),
      /^the signing policy refuses this certificate for postgresql\/0 \(2 violations\)/,
    );
  });

  it("provide-certificates under warn provides all and lists each one's warnings", async () => {
    const juju = model({ "signing-policy": POLICY("warn") });
    const bundle = [csrs.good, csrs.evil].map((csr) => issue(csr, ca)).join("\n");
    const run = await juju.action("provide-certificates", {
      certificates: b64(bundle),
      "ca-certificate": b64(ca.pem),
    });
    assert.deepEqual([run.results["provided"], run.results["refused"]], ["2", "0"]);
    const entries = JSON.parse(run.results["result"]!) as Record<string, unknown>[];
    assert.equal(entries.find((e) => e["position"] === 1)?.["warnings"], undefined);
    assert.equal((entries.find((e) => e["position"] === 2)?.["warnings"] as string[]).length, 2);
  });

  it("reject: hooks publish request_errors with the code of what is wrong, and the status counts them", async () => {
    const juju = model({ "signing-policy": POLICY("reject") });
    const run = await juju.hook("update-status");
    assert.equal(run.exitCode, 0);
    assert.deepEqual(
      errors(juju).map((e) => [e.error.code, e.error.name, e.error.reason]),
      [
        [102, "domain_not_allowed", "signing-policy"],
        [101, "ip_not_allowed", "signing-policy"],
        [103, "wildcard_not_allowed", "signing-policy"],
        [999, "other", "signing-policy"],
      ],
    );
    assert.equal(
      errorFor(juju, csrs.ip)?.error.message,
      "refused by the signing policy: IP:192.168.0.1 is not allowed for postgresql (allowed: 10.0.0.0/8)",
    );
    assert.deepEqual(run.status, {
      status: "active",
      message:
        "2 outstanding requests, use juju actions to provide certificates; 4 requests refused by the signing policy",
    });
    // A rejected request is not outstanding.
    const outstanding = listing(await juju.action("get-outstanding-certificate-requests", {}));
    assert.deepEqual(
      outstanding.map((e) => e["csr"]),
      [csrs.good.trim(), csrs.unitName.trim()],
    );
    // Settled: the next hook writes nothing.
    assert.equal(wroteRelation((await juju.hook("update-status")).calls), false);
  });

  it("reject: get-certificate-request state=rejected lists every refused request of every relation in one run", async () => {
    const juju = model({ "signing-policy": POLICY("reject") });
    const web = juju.addRelation("web", {
      "web/0": {
        [REQUESTS]: JSON.stringify([{ certificate_signing_request: csrs.good.trim(), ca: false }]),
      },
    });
    const operator = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(csrs.evil),
      reason: "not ours",
      "relation-id": 0,
    });
    assert.equal(operator.failed, undefined, operator.failed);
    await juju.hook("update-status");

    const rejected = listing(await juju.action("get-certificate-request", { state: "rejected" }));
    assert.deepEqual(
      rejected.map((e) => [e["relation_id"], e["unit_name"], e["rejected"]]),
      [
        [0, "postgresql/0", "not ours"],
        [0, "postgresql/0", errorFor(juju, csrs.ip)?.error.message],
        [0, "postgresql/1", errorFor(juju, csrs.wildcard)?.error.message],
        [0, "postgresql/1", errorFor(juju, csrs.mixed)?.error.message],
        [web, "web/0", errors(juju, web)[0]?.error.message],
      ],
    );
    const text = await juju.action("get-certificate-request", {
      state: "rejected",
      format: "text",
    });
    const lines = (text.results["result"] ?? "").split("\n");
    assert.match(
      lines.find((l) => l.includes("CN=evil.example.com")) ?? "",
      /^0\s+postgresql\/0\s+rejected\s+EC/,
    );
    assert.match(
      lines.find((l) => l.includes("IP:192.168.0.1")) ?? "",
      /^0\s+postgresql\/0\s+rejected \(policy\)\s+EC/,
    );
    assert.equal(lines.at(-1), "5 requests");

    const outstanding = listing(
      await juju.action("get-certificate-request", { state: "outstanding" }),
    );
    assert.deepEqual(
      outstanding.map((e) => e["csr"]),
      [csrs.good.trim(), csrs.unitName.trim()],
    );
    const bad = await juju.action("get-certificate-request", { state: "refused" });
    assert.equal(
      bad.failed,
      "invalid parameters: state: must be one of certificate, outstanding, rejected",
    );
    const onWeb = listing(await juju.action("get-certificate-request", { "relation-id": web }));
    assert.deepEqual(
      onWeb.map((e) => e["relation_id"]),
      [web],
    );
  });

  it("reject never touches the operator's own rejection, and a policy change withdraws only its own", async () => {
    const juju = model({ "signing-policy": POLICY("reject") });
    const operator = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(csrs.evil),
      reason: "not ours",
    });
    assert.equal(operator.failed, undefined);
    await juju.hook("update-status");
    assert.deepEqual(errorFor(juju, csrs.evil)?.error, {
      code: 999,
      name: "other",
      message: "not ours",
    });
    assert.equal(errors(juju).length, 4);

    juju.config = {
      "signing-policy": POLICY("reject").replace('ip: ["10.0.0.0/8"]', 'ip: ["0.0.0.0/0"]'),
    };
    await juju.hook("config-changed");
    assert.equal(errorFor(juju, csrs.ip), undefined, "the IP request passes now");
    assert.deepEqual(errorFor(juju, csrs.evil)?.error.message, "not ours");
    assert.equal(errorFor(juju, csrs.mixed)?.error.code, 102, "only the DNS name is wrong now");
    const provided = await provide(juju, csrs.ip, issue(csrs.ip, ca));
    assert.equal(provided.failed, undefined);

    for (const [config, left] of [
      [{ "signing-policy": POLICY("refuse") }, 1],
      [{}, 1],
    ] as const) {
      juju.config = config;
      await juju.hook("config-changed");
      assert.deepEqual(
        errors(juju).map((e) => e.error.message),
        ["not ours"].slice(0, left),
      );
    }
  });

  it("reject: the refusal goes when the CSR leaves", async () => {
    const juju = model({ "signing-policy": POLICY("reject") });
    await juju.hook("update-status");
    assert.ok(errorFor(juju, csrs.wildcard));
    delete juju.relation(0).units["postgresql/1"];
    await juju.hook("certificates-relation-departed", {
      relationId: 0,
      remoteUnit: "postgresql/1",
    });
    assert.deepEqual(
      errors(juju).map((e) => e.csr),
      [csrs.evil.trim(), csrs.ip.trim()],
    );
  });

  it("reject: a request whose certificate was revoked keeps its revoked entry", async () => {
    const juju = model({ "signing-policy": POLICY("warn") });
    assert.equal((await provide(juju, csrs.evil, issue(csrs.evil, ca))).failed, undefined);
    await juju.action("revoke-certificate", { "certificate-signing-request": b64(csrs.evil) });
    juju.config = { "signing-policy": POLICY("reject") };
    await juju.hook("config-changed");
    assert.equal(errorFor(juju, csrs.evil), undefined);
    assert.match(juju.relation(0).ourAppData["certificates"] ?? "", /"revoked": true/);
  });

  it("an invalid policy blocks, writes nothing, refuses every certificate and shows the error in listings", async () => {
    const juju = model({ "signing-policy": POLICY("reject") });
    await juju.hook("update-status");
    const published = { ...juju.relation(0).ourAppData };
    juju.config = {
      "signing-policy": POLICY("reject").replace("*.db.example.com", "f*o.example.com"),
    };
    const run = await juju.hook("config-changed");
    const problem =
      'signing-policy: applications.postgresql.dns[1]: "f*o.example.com": a wildcard must be a whole leftmost label';
    assert.deepEqual(run.status, { status: "blocked", message: problem });
    assert.equal(wroteRelation(run.calls), false);
    assert.deepEqual(juju.relation(0).ourAppData, published);

    const refused = await provide(juju, csrs.good, issue(csrs.good, ca));
    assert.match(
      refused.failed ?? "",
      new RegExp(
        `^${problem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\. No certificate is provided`,
      ),
    );
    assert.equal(wroteRelation(refused.calls), false);
    const batch = await juju.action("provide-certificates", {
      certificates: b64(issue(csrs.good, ca)),
      "ca-certificate": b64(ca.pem),
    });
    assert.match(batch.failed ?? "", /^signing-policy: applications\.postgresql\.dns\[1\]/);
    const outstanding = listing(await juju.action("get-outstanding-certificate-requests", {}));
    assert.ok(
      outstanding.every((e) => JSON.stringify(e["policy"]) === JSON.stringify({ error: problem })),
    );
  });

  it("a refusal's message is bounded, and lists what fits", async () => {
    const names = Array.from({ length: 60 }, (_, i) => general.dns(`host-${i}.evil.example.com`));
    const many = testCsr({ sans: names });
    const juju = new MemoryJuju();
    juju.config = { "signing-policy": POLICY("reject") };
    juju.addRelation("postgresql", {
      "postgresql/0": {
        [REQUESTS]: JSON.stringify([{ certificate_signing_request: many.trim() }]),
      },
    });
    await juju.hook("update-status");
    const message = errorFor(juju, many)?.error.message ?? "";
    assert.ok(message.length <= 1024, `${message.length}`);
    assert.match(
      message,
      /^refused by the signing policy: DNS:host-0\.evil\.example\.com is not allowed/,
    );
    assert.match(message, /; and \d+ more$/);
  });

  it("an application with no rules: each of its requests is refused, saying so", async () => {
    const juju = new MemoryJuju();
    juju.config = { "signing-policy": POLICY("reject") };
    juju.addRelation("web", {
      "web/0": { [REQUESTS]: JSON.stringify([{ certificate_signing_request: csrs.good.trim() }]) },
    });
    await juju.hook("update-status");
    assert.equal(
      errorFor(juju, csrs.good)?.error.message,
      'refused by the signing policy: web has no rules in signing-policy (it is not named and there is no "*" entry): it may be issued nothing',
    );
  });

  it("get-issued-certificates judges what was issued against today's policy", async () => {
    const juju = model();
    assert.equal((await provide(juju, csrs.evil, issue(csrs.evil, ca))).failed, undefined);
    assert.equal(listing(await juju.action("get-issued-certificates", {}))[0]?.["policy"], null);
    juju.config = { "signing-policy": POLICY("refuse") };
    const [entry] = listing(await juju.action("get-issued-certificates", {}));
    assert.equal((entry?.["policy"] as { allowed: boolean }).allowed, false);
  });

  it("warn and refuse: the status counts the outstanding requests against the policy, and a relation's hook updates it", async () => {
    for (const enforcement of ["warn", "refuse"]) {
      const juju = model({ "signing-policy": POLICY(enforcement) });
      const outstanding = listing(await juju.action("get-outstanding-certificate-requests", {}));
      const against = outstanding.filter(
        (entry) => (entry["policy"] as { allowed: boolean }).allowed === false,
      ).length;
      assert.ok(against > 1 && against < outstanding.length, `${against} of ${outstanding.length}`);
      const status = await juju.hook("update-status");
      assert.deepEqual(status.status, {
        status: "active",
        message:
          `${outstanding.length} outstanding requests (${against} against the signing policy), ` +
          "use juju actions to provide certificates",
      });
      // postgresql/0 withdraws the request for evil.example.com: its -changed hook counts again.
      juju.relation(0).units["postgresql/0"] = {
        [REQUESTS]: JSON.stringify(
          [csrs.good, csrs.ip].map((csr) => ({ certificate_signing_request: csr.trim() })),
        ),
      };
      const changed = await juju.hook("certificates-relation-changed", {
        relationId: 0,
        remoteUnit: "postgresql/0",
      });
      assert.equal(
        changed.status?.message,
        `${outstanding.length - 1} outstanding requests (${against - 1} against the signing policy), ` +
          "use juju actions to provide certificates",
        enforcement,
      );
    }
  });
});
