import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { buildModel, type BenchModel } from "../../bench/model.ts";
import type { ActionRun } from "../simulator/index.ts";
import { makeCa } from "../x509/fixtures.ts";
import { distinctKeyCsrs, issueFor } from "./batch-fixtures.ts";
import { CHARM_DIR, OPERATOR } from "./harness.ts";

/** The params-file script of docs/how-to/pki-team-batches.md, as printed there. */
function readmeScript(): string {
  const readme = readFileSync(join(CHARM_DIR, "docs/how-to/pki-team-batches.md"), "utf8");
  const block = /```sh\n(\s*# build-params\.sh[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "docs/how-to/pki-team-batches.md has the build-params.sh script");
  return block.replace(/^ {3}/gm, "");
}

/**
 * `juju run --params file`: the file is read with gopkg.in/yaml.v2 into a map and sent as the
 * action's parameters, never through argv (cmd/juju/action/run.go, enqueueActions).
 */
function paramsFile(path: string): Record<string, unknown> {
  return parse(readFileSync(path, "utf8"), { version: "1.1" }) as Record<string, unknown>;
}

describe("provide-certificates answers 1,000 requests in one run from a params file", () => {
  let model: BenchModel;
  let run: ActionRun;
  const COUNT = 1000;

  before(async () => {
    const csrs = distinctKeyCsrs();
    // 4 requirer applications of 5 units, 50 CSRs each; some ask for a CA certificate.
    model = await buildModel({ relations: 4, unitsPerRelation: 5, csrsPerUnit: 50 }, csrs);
    assert.equal(model.csrs.length, COUNT);
    const ca = makeCa({ commonName: "PKI team CA" });
    const work = mkdtempSync(join(tmpdir(), "pki-team-"));
    mkdirSync(join(work, "signed"));
    // The PKI team returns a few files, in an order of their own.
    const certificates = [...model.csrs]
      .reverse()
      .map((placed) => issueFor(placed.csr, ca, { isCa: placed.isCa }));
    for (let file = 0; file < 4; file++) {
      const part = certificates.filter((_, i) => i % 4 === file);
      writeFileSync(join(work, "signed", `batch-${file}.pem`), `${part.join("\n")}\n`);
    }
    writeFileSync(join(work, "ca.pem"), ca.pem);
    writeFileSync(join(work, "build-params.sh"), readmeScript());
    execFileSync("sh", ["build-params.sh", "signed"], { cwd: work });
    run = await model.sim.runAction(
      model.leader,
      "provide-certificates",
      paramsFile(join(work, "params.yaml")),
    );
  });

  it("provides every certificate", () => {
    assert.equal(run.status, "completed", run.message);
    assert.deepEqual(
      [run.results["provided"], run.results["refused"], run.results["unmatched"]],
      [String(COUNT), "0", "0"],
      String(run.results["result"]).slice(0, 2000),
    );
  });

  it("writes each relation once, with all its certificates", () => {
    const writes = run.toolCalls.filter((call) => call[0] === "relation-set");
    assert.equal(writes.length, model.relations.length);
    for (const relation of model.relations) {
      const published = JSON.parse(
        model.sim.relationData(relation.id, OPERATOR)["certificates"] ?? "[]",
      ) as unknown[];
      assert.equal(published.length, COUNT / model.relations.length);
    }
  });

  it("bounds its result like the listings: as many entries as fit, with listed and total", () => {
    const listed = Number(run.results["listed"]);
    assert.equal(run.results["total"], String(COUNT));
    assert.ok(listed > 100 && listed < COUNT, `listed ${listed}`);
    const shown = JSON.parse(String(run.results["result"])) as { status: string }[];
    assert.equal(shown.length, listed);
    assert.ok(shown.every((entry) => entry.status === "provided"));
    assert.ok(Buffer.byteLength(String(run.results["result"])) < 128 * 1024);
    assert.ok(
      run.logs.some((line) => line.includes(`listing ${listed} of ${COUNT} certificates`)),
      run.logs.join("\n"),
    );
  });
});
