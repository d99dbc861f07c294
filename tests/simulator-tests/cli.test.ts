import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CHARM_DIR, REQUIRER_DIR } from "../e2e/harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
const cli = (...args: string[]): string =>
  execFileSync(
    process.execPath,
    ["--import", "tsx", "tests/simulator/cli.ts", "--dir", dir, ...args],
    {
      cwd: CHARM_DIR,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );

describe("the simulator CLI drives a model the way juju does", () => {
  it("deploys, integrates, shows status and databags, and runs actions", () => {
    assert.match(
      cli("deploy", CHARM_DIR, "tls-certificates-operator"),
      /Deployed "tls-certificates-operator" with 1 unit/,
    );
    assert.match(cli("deploy", REQUIRER_DIR, "req", "-n", "2"), /with 2 unit/);
    assert.match(
      cli("integrate", "tls-certificates-operator:certificates", "req:certificates"),
      /relation 0/,
    );

    const status = cli("status");
    assert.match(status, /tls-certificates-operator\/0\*\s+active\s+idle.*2 outstanding requests/);
    assert.match(status, /req\/1\*?\s+active/);

    assert.match(cli("show-unit", "req/0"), /certificate_signing_requests/);

    const listed = cli(
      "run",
      "tls-certificates-operator/leader",
      "get-outstanding-certificate-requests",
    );
    assert.match(listed, /^result: /m);
    assert.match(listed, /req\/0/);

    const failed = cli(
      "run",
      "tls-certificates-operator/0",
      "get-certificate-request",
      "relation-id=7",
    );
    assert.match(failed, /^Action id \d+ failed: relation-id 7 is not a certificates relation/m);

    assert.equal(cli("wait", "600"), "");
    assert.throws(
      () => cli("resolve", "req/0"),
      (error: { stderr: string }) => /unit "req\/0" is not in an error state/.test(error.stderr),
    );
  });
});
