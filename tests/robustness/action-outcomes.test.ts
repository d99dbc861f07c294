// What revoke and reject leave in our databag and in the outstanding list, in-process: the
// end-to-end scenarios cover the same flows through the real dispatch, but take minutes, and
// the mutation check (npm run mutants) needs a fast test for each.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryJuju } from "./memory-juju.ts";
import { buildPool } from "./pool.ts";

const REQUESTS = "certificate_signing_requests";
const pool = buildPool(1);
const { csr, certificate } = pool.good[0]!;
const ca = pool.ca.pem.trim();
const b64 = (text: string) => Buffer.from(text).toString("base64");

function oneRequest(): MemoryJuju {
  const juju = new MemoryJuju();
  juju.addRelation("alpha", {
    "alpha/0": { [REQUESTS]: JSON.stringify([{ certificate_signing_request: csr, ca: false }]) },
  });
  return juju;
}

async function outstandingCsrs(juju: MemoryJuju): Promise<string[]> {
  const run = await juju.action("get-outstanding-certificate-requests", {});
  assert.equal(run.failed, undefined, run.failed);
  return (JSON.parse(run.results["result"] ?? "null") as { csr: string }[]).map((r) => r.csr);
}

const provide = (juju: MemoryJuju) =>
  juju.action("provide-certificate", {
    "certificate-signing-request": b64(csr),
    certificate: b64(certificate),
    "ca-certificate": b64(ca),
  });

describe("revoke and reject, and what they publish", () => {
  it("revoke-certificate marks the certificate revoked and the request outstanding again", async () => {
    const juju = oneRequest();
    assert.equal((await provide(juju)).failed, undefined);
    assert.deepEqual(await outstandingCsrs(juju), []);
    const run = await juju.action("revoke-certificate", {
      "certificate-signing-request": b64(csr),
    });
    assert.equal(run.failed, undefined, run.failed);
    const published = JSON.parse(juju.relation(0).ourAppData["certificates"] ?? "[]") as {
      revoked?: boolean;
    }[];
    assert.deepEqual(
      published.map((entry) => entry.revoked),
      [true],
    );
    assert.deepEqual(await outstandingCsrs(juju), [csr]);
  });

  it("reject-certificate-request publishes request_errors with the reason; provide-certificate lifts it", async () => {
    const juju = oneRequest();
    const run = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(csr),
      reason: "not for this CA",
    });
    assert.equal(run.failed, undefined, run.failed);
    assert.deepEqual(JSON.parse(juju.relation(0).ourAppData["request_errors"] ?? "null"), [
      { csr, error: { code: 999, name: "other", message: "not for this CA" } },
    ]);
    assert.deepEqual(await outstandingCsrs(juju), []);

    assert.equal((await provide(juju)).failed, undefined);
    assert.equal(juju.relation(0).ourAppData["request_errors"], undefined);
    assert.match(juju.relation(0).ourAppData["certificates"] ?? "", /BEGIN CERTIFICATE/);
  });

  it("reject-certificate-request refuses an empty reason and writes nothing", async () => {
    const juju = oneRequest();
    const before = juju.published();
    const run = await juju.action("reject-certificate-request", {
      "certificate-signing-request": b64(csr),
      reason: "  ",
    });
    assert.match(run.failed ?? "", /reason.*must say why the request is refused/);
    assert.deepEqual(juju.published(), before);
  });
});
