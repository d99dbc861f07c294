// The process boundary for control characters a requirer puts in its CSR: node refuses to spawn a
// hook tool whose argv holds NUL, so anything shown raw breaks the action for real. The many
// cases run in-process (tests/robustness/subject-controls.test.ts); these few go through the
// real dispatch and hook tools.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import type { Simulator } from "../simulator/index.ts";
import { makeCa } from "../x509/fixtures.ts";
import { OID, rawCsr } from "../x509/raw-csr.ts";
import { issueFor } from "./batch-fixtures.ts";
import { LEADER, OPERATOR, base64, deployModel } from "./harness.ts";

const DAY = 86_400_000;
const key = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey;
const nulSubject = rawCsr({
  key: key(),
  subject: [{ oid: OID.commonName, value: "nul\0cn.example" }],
});
const escSubjectNulSan = rawCsr({
  key: key(),
  subject: [{ oid: OID.commonName, value: "esc\x1b[2J\ncn.example" }],
  sans: [{ dns: "nul\0san.example" }],
});

describe("control characters in a CSR, through the real dispatch", () => {
  let sim: Simulator;
  const ca = makeCa({ commonName: "Controls Root" });

  before(async () => {
    sim = (await deployModel()).sim;
    // A requirer with no hooks: its databag holds exactly the CSRs put there.
    const dir = mkdtempSync(join(tmpdir(), "silent-requirer-"));
    writeFileSync(
      join(dir, "metadata.yaml"),
      "name: silent\nrequires:\n  certificates:\n    interface: tls-certificates\n",
    );
    await sim.deploy("silent", dir, { units: 1 });
    const relationId = await sim.integrate(`${OPERATOR}:certificates`, "silent:certificates");
    sim.setRelationData(
      relationId,
      "silent/0",
      {
        certificate_signing_requests: JSON.stringify(
          [nulSubject, escSubjectNulSan].map((csr) => ({ certificate_signing_request: csr })),
        ),
      },
      { notify: true },
    );
    await sim.settle();
  });

  it("the text listing completes, one line per request, controls escaped", async () => {
    const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests", {
      format: "text",
    });
    assert.equal(run.status, "completed", run.message);
    const lines = String(run.results["result"]).split("\n");
    assert.equal(lines.length, 4, lines.join("\n"));
    assert.ok(lines.some((line) => line.includes("CN=nul\\00cn.example")));
    assert.ok(
      lines.some(
        (line) =>
          line.includes("CN=esc\\1B[2J\\0Acn.example") && line.includes("DNS:nul\\00san.example"),
      ),
    );
  });

  it("provide-certificate completes for a NUL in the subject, and refuses an expired one by its escaped name", async () => {
    const expired = await sim.runAction(LEADER, "provide-certificate", {
      "certificate-signing-request": base64(nulSubject),
      certificate: base64(
        issueFor(nulSubject, ca, {
          notBefore: new Date(Date.now() - 30 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
      ),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(expired.status, "failed");
    assert.match(
      expired.message ?? "",
      /^certificate: certificate \(CN=nul\\00cn\.example\) has expired/,
    );

    const provided = await sim.runAction(LEADER, "provide-certificate", {
      "certificate-signing-request": base64(nulSubject),
      certificate: base64(issueFor(nulSubject, ca)),
      "ca-certificate": base64(ca.pem),
    });
    assert.equal(provided.status, "completed", provided.message);
    assert.equal(provided.results["subject"], "CN=nul\\00cn.example");
  });
});
