import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pyJsonDumps } from "../../../requirers/index.ts";
import {
  generateCa,
  generateCsr,
  generatePrivateKey,
  publicKeyOf,
  signCsr,
} from "../../../requirers/openssl.ts";
import { handleEvent, RequirerLibraryError } from "../src/charm.ts";
import type { CharmEvent } from "../src/context.ts";
import { FakeJuju, testEnv } from "./fake-juju.ts";

const keys = { generatePrivateKey, publicKeyOf, generateCsr };
const CA = generateCa("charm test CA");
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(config: Record<string, unknown> = {}, unitName = "tls-requirer/0"): FakeJuju {
  const dir = mkdtempSync(join(tmpdir(), "requirer-charm-"));
  dirs.push(dir);
  const juju = new FakeJuju(testEnv(dir, { kind: "hook", name: "install" }, unitName));
  juju.config = { "key-type": "ec", ...config };
  juju.relate();
  return juju;
}

function run(juju: FakeJuju, event: CharmEvent): void {
  handleEvent({ juju, env: { ...juju.env, event }, keys });
}
const hook = (juju: FakeJuju, name: string): void => run(juju, { kind: "hook", name });
const action = (juju: FakeJuju, name: string): void => run(juju, { kind: "action", name });

interface CsrItem {
  certificate_signing_request: string;
  ca?: boolean;
}

function published(juju: FakeJuju, app = false): CsrItem[] {
  const bag = app ? juju.relation?.appBag : juju.relation?.unitBag;
  const raw = bag?.["certificate_signing_requests"];
  return raw === undefined ? [] : (JSON.parse(raw) as CsrItem[]);
}

function subjectOf(csr: string): string {
  return execFileSync("openssl", ["req", "-noout", "-subject", "-nameopt", "sep_multiline"], {
    input: csr,
    encoding: "utf8",
  });
}

function pubkeyOfCsr(csr: string): string {
  return execFileSync("openssl", ["req", "-noout", "-pubkey"], { input: csr, encoding: "utf8" });
}

/** The provider signs every published CSR and answers the v4 way. */
function answer(
  juju: FakeJuju,
  sign: { isCa?: boolean } = {},
  app = false,
  extra: object = {},
): void {
  const entries = published(juju, app).map((item) => {
    const certificate = signCsr(item.certificate_signing_request, CA, sign).trim();
    const ca = CA.certificatePem.trim();
    return {
      ca,
      certificate_signing_request: item.certificate_signing_request,
      certificate,
      chain: [certificate, ca],
      ...extra,
    };
  });
  if (juju.relation) juju.relation.remoteAppBag = { certificates: pyJsonDumps(entries) };
}

describe("requirer charm, unit mode", () => {
  it("publishes one CSR in the charmlibs format with the default name", () => {
    const juju = setup();
    hook(juju, "certificates-relation-joined");
    const items = published(juju);
    assert.equal(items.length, 1);
    assert.deepEqual(Object.keys(items[0] ?? {}), ["certificate_signing_request", "ca"]);
    assert.equal(items[0]?.ca, false);
    assert.match(
      juju.relation?.unitBag["certificate_signing_requests"] ?? "",
      /^\[\{"certificate_signing_request": "-----BEGIN CERTIFICATE REQUEST-----\\n/,
    );
    assert.match(
      subjectOf(items[0]?.certificate_signing_request ?? ""),
      /CN=cert-0\.unit-0\.tls-requirer\.test-model/,
    );
    assert.deepEqual(juju.status, {
      status: "active",
      message: "0/1 certificate requests are fulfilled",
    });
    assert.deepEqual(juju.relation?.appBag, {}, "the app databag stays empty in unit mode");
  });

  it("keeps the same CSR and writes nothing when run again", () => {
    const juju = setup();
    hook(juju, "certificates-relation-created");
    const first = juju.relation?.unitBag["certificate_signing_requests"];
    juju.sets = [];
    hook(juju, "config-changed");
    hook(juju, "leader-elected");
    assert.equal(juju.relation?.unitBag["certificate_signing_requests"], first);
    assert.deepEqual(juju.sets, []);
  });

  it("names the requests after the unit number", () => {
    const juju = setup({ "num-certificates": 3 }, "tls-requirer/4");
    hook(juju, "certificates-relation-joined");
    const subjects = published(juju).map((i) => subjectOf(i.certificate_signing_request));
    assert.equal(subjects.length, 3);
    subjects.forEach((s, i) =>
      assert.match(s, new RegExp(`CN=cert-${i}\\.unit-4\\.tls-requirer\\.test-model`)),
    );
  });

  it("accepts the provider's certificates and reports them with get-certificate", () => {
    const juju = setup({ "num-certificates": 2 });
    hook(juju, "certificates-relation-joined");
    answer(juju, { isCa: false });
    hook(juju, "certificates-relation-changed");
    assert.deepEqual(juju.status, {
      status: "active",
      message: "2/2 certificate requests are fulfilled",
    });
    action(juju, "get-certificate");
    assert.equal(juju.failure, undefined);
    const certs = JSON.parse(juju.results?.["certificates"] ?? "[]") as Record<string, string>[];
    assert.equal(certs.length, 2);
    assert.deepEqual(Object.keys(certs[0] ?? {}), ["certificate", "ca-certificate", "csr"]);
    assert.equal(certs[0]?.["ca-certificate"], CA.certificatePem.trim());
    assert.equal(certs[0]?.csr, published(juju)[0]?.certificate_signing_request);
  });

  it("get-certificate fails while a request is unfulfilled", () => {
    const juju = setup();
    hook(juju, "certificates-relation-joined");
    action(juju, "get-certificate");
    assert.equal(juju.failure, "Certificate not available: 0/1 certificate requests are fulfilled");
    assert.equal(juju.results, undefined);
  });

  it("get-certificate says why the provider denied a request, as charmlibs reads request_errors", () => {
    const juju = setup();
    hook(juju, "certificates-relation-joined");
    const csr = published(juju)[0]!.certificate_signing_request;
    const error = {
      code: 102,
      name: "domain_not_allowed",
      message: "not for you",
      reason: "signing-policy",
    };
    if (juju.relation) {
      juju.relation.remoteAppBag = { request_errors: pyJsonDumps([{ csr, error }]) };
    }
    hook(juju, "certificates-relation-changed");
    action(juju, "get-certificate");
    assert.equal(
      juju.failure,
      "Certificate not available: 0/1 certificate requests are fulfilled; " +
        "certificate denied by the provider: 102 domain_not_allowed: not for you",
    );
  });

  it("writes v1 requests without the ca flag", () => {
    const juju = setup({ library: "v1" });
    hook(juju, "certificates-relation-joined");
    assert.deepEqual(Object.keys(published(juju)[0] ?? {}), ["certificate_signing_request"]);
  });

  it("writes v2 requests without the ca flag before LIBPATCH 19", () => {
    const juju = setup({ library: "v2", libpatch: 18 });
    hook(juju, "certificates-relation-joined");
    assert.equal(published(juju)[0]?.ca, undefined);
  });

  it("asks for CA certificates with is-ca, and charmlibs refuses a leaf for them", () => {
    const juju = setup({ "is-ca": true });
    hook(juju, "certificates-relation-joined");
    assert.equal(published(juju)[0]?.ca, true);
    answer(juju, { isCa: false });
    hook(juju, "certificates-relation-changed");
    assert.equal(juju.status?.message, "0/1 certificate requests are fulfilled");
    assert.ok(
      juju.logs.some(
        (l) => l.level === "WARNING" && /CA certificate requested, got a non CA/.test(l.message),
      ),
    );
  });

  it("as v1, takes a leaf for a CA request", () => {
    const juju = setup({ "is-ca": true, library: "v1" });
    hook(juju, "certificates-relation-joined");
    answer(juju, { isCa: false });
    hook(juju, "certificates-relation-changed");
    assert.equal(juju.status?.message, "1/1 certificate requests are fulfilled");
  });

  it("as v1–v3, gets nothing from an answer without chain; as v4, gets it", () => {
    for (const [library, fulfilled] of [
      ["v3", "0/1"],
      ["v4", "1/1"],
    ] as const) {
      const juju = setup({ library });
      hook(juju, "certificates-relation-joined");
      answer(juju, { isCa: false }, false, { chain: null });
      hook(juju, "certificates-relation-changed");
      assert.equal(
        juju.status?.message,
        `${fulfilled} certificate requests are fulfilled`,
        library,
      );
    }
  });

  it("fails the hook as v3 does on a string recommended_expiry_notification_time", () => {
    const juju = setup({ library: "v3" });
    hook(juju, "certificates-relation-joined");
    answer(juju, { isCa: false }, false, { recommended_expiry_notification_time: "24" });
    assert.throws(() => hook(juju, "certificates-relation-changed"), RequirerLibraryError);
  });

  it("renew replaces the CSRs with new ones for the same key", () => {
    const juju = setup({ "num-certificates": 2 });
    hook(juju, "certificates-relation-joined");
    answer(juju, { isCa: false });
    hook(juju, "certificates-relation-changed");
    const before = published(juju).map((i) => i.certificate_signing_request);
    action(juju, "renew");
    assert.equal(juju.failure, undefined);
    assert.equal(juju.results?.["renewed"], "2");
    const after = published(juju).map((i) => i.certificate_signing_request);
    assert.equal(after.length, 2);
    after.forEach((csr, i) => {
      assert.notEqual(csr, before[i]);
      assert.equal(pubkeyOfCsr(csr), pubkeyOfCsr(before[i] ?? ""));
    });
    assert.equal(juju.status?.message, "0/2 certificate requests are fulfilled");
  });

  it("makes a new key and CSR when key-type changes", () => {
    const juju = setup();
    hook(juju, "certificates-relation-joined");
    const before = published(juju)[0]?.certificate_signing_request ?? "";
    juju.config["key-type"] = "ed25519";
    hook(juju, "config-changed");
    const after = published(juju)[0]?.certificate_signing_request ?? "";
    assert.notEqual(pubkeyOfCsr(after), pubkeyOfCsr(before));
    assert.match(pubkeyOfCsr(after), /MCowBQYDK2Vw/, "an Ed25519 SubjectPublicKeyInfo");
  });

  it("puts a common name longer than 64 characters in the SAN only", () => {
    const long = `${"a".repeat(60)}.example.com`;
    const juju = setup({ "common-name": long });
    hook(juju, "certificates-relation-joined");
    const csr = published(juju)[0]?.certificate_signing_request ?? "";
    assert.doesNotMatch(subjectOf(csr), /CN=/);
    const text = execFileSync("openssl", ["req", "-noout", "-text"], {
      input: csr,
      encoding: "utf8",
    });
    assert.match(text, new RegExp(`DNS:${long.replace(/\./g, "\\.")}`));
  });
});

describe("requirer charm, app mode", () => {
  it("the leader publishes in the application databag only", () => {
    const juju = setup({ mode: "app" });
    hook(juju, "certificates-relation-joined");
    assert.deepEqual(published(juju), []);
    const items = published(juju, true);
    assert.equal(items.length, 1);
    assert.match(
      subjectOf(items[0]?.certificate_signing_request ?? ""),
      /CN=cert-0\.tls-requirer\.test-model/,
    );
    answer(juju, { isCa: false }, true);
    hook(juju, "certificates-relation-changed");
    assert.equal(juju.status?.message, "1/1 certificate requests are fulfilled");
  });

  it("a non-leader is blocked and writes nothing", () => {
    const juju = setup({ mode: "app" }, "tls-requirer/1");
    juju.leader = false;
    hook(juju, "certificates-relation-joined");
    assert.deepEqual(juju.status, { status: "blocked", message: "can't scale in app mode" });
    assert.deepEqual(juju.sets, []);
  });

  it("moving from unit to app mode takes the requests out of the unit databag", () => {
    const juju = setup();
    hook(juju, "certificates-relation-joined");
    assert.equal(published(juju).length, 1);
    juju.config["mode"] = "app";
    hook(juju, "config-changed");
    assert.deepEqual(published(juju), []);
    assert.equal(published(juju, true).length, 1);
  });
});

describe("requirer charm, misconfigured or alone", () => {
  it("is blocked by an unknown library", () => {
    const juju = setup({ library: "v5" });
    hook(juju, "config-changed");
    assert.equal(juju.status?.status, "blocked");
    assert.match(juju.status?.message ?? "", /library/);
  });

  it("refuses common-name with several certificates", () => {
    const juju = setup({ "common-name": "x.example", "num-certificates": 2 });
    hook(juju, "config-changed");
    assert.deepEqual(juju.status, {
      status: "blocked",
      message: "common-name cannot be used with num-certificates > 1",
    });
  });

  it("waits for the relation", () => {
    const juju = setup();
    juju.relation = undefined;
    hook(juju, "install");
    assert.deepEqual(juju.status, {
      status: "blocked",
      message: "Waiting for certificates relation",
    });
  });

  it("fails unknown actions", () => {
    const juju = setup();
    action(juju, "explode");
    assert.equal(juju.failure, "unknown action explode");
  });
});
