// The two size bounds, in-process: our databag on one relation stays under 8 MiB whatever else
// it holds, and a listing fits in one action result and says how much it left out. The
// end-to-end scenarios (tests/e2e/databag-budget.test.ts, large-listing.test.ts) cover the same
// through the real dispatch; these are fast enough for `npm run mutants` to name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { csrFactory } from "../../bench/csrs.ts";
import { DATABAG_BUDGET_BYTES } from "../../src/charm/databag-budget.ts";
import { MAX_RESULT_VALUE_BYTES } from "../../src/juju/index.ts";
import { distinctKeyCsrs, issueFor } from "../e2e/batch-fixtures.ts";
import { makeCa } from "../x509/fixtures.ts";
import { MemoryJuju, type ActionResult } from "./memory-juju.ts";

const REQUESTS = "certificate_signing_requests";
const ca = makeCa({ commonName: "Bounds Root" });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const requestBag = (...asked: string[]) => ({
  [REQUESTS]: JSON.stringify(asked.map((csr) => ({ certificate_signing_request: csr }))),
});
const bytesOf = (bag: Record<string, string>) =>
  Object.entries(bag).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

/** Our databag holds other keys up to `bytes`, as a charm's older revision might have left. */
function padded(juju: MemoryJuju, relationId: number, bytes: number): Record<string, string> {
  const bag = juju.relation(relationId).ourAppData;
  delete bag["padding"];
  bag["padding"] = "x".repeat(bytes - bytesOf(bag) - "padding".length);
  assert.equal(bytesOf(bag), bytes);
  return { ...bag };
}

describe("our databag on one relation stays under 8 MiB, counting every key it holds", () => {
  const csrs = distinctKeyCsrs();

  for (const action of ["provide-certificate", "provide-certificates"] as const) {
    it(`${action} refuses a write that would cross the bound, and writes nothing`, async () => {
      const csr = csrs.csr(`${action}.bounds.example`);
      const juju = new MemoryJuju();
      juju.addRelation("alpha", { "alpha/0": requestBag(csr) });
      const before = padded(juju, 0, DATABAG_BUDGET_BYTES - 1000);
      const certificate = b64(issueFor(csr, ca));
      const run = await juju.action(
        action,
        action === "provide-certificate"
          ? {
              "certificate-signing-request": b64(csr),
              certificate,
              "ca-certificate": b64(ca.pem),
            }
          : { certificates: certificate, "ca-certificate": b64(ca.pem) },
      );
      assert.match(
        run.failed ?? "",
        /^cannot write our data on relation certificates:0: .*over the 8 MiB/,
      );
      assert.deepEqual(juju.relation(0).ourAppData, before);
    });
  }

  it("a hook that would cross it writes nothing, exits 0 and blocks naming the relation", async () => {
    const juju = new MemoryJuju();
    juju.addRelation("alpha", { "alpha/0": requestBag(csrs.csr("hook.bounds.example")) });
    // Without a certificates key, reconcile wants to write one ("[]"), which would cross.
    const before = padded(juju, 0, DATABAG_BUDGET_BYTES - 1);
    const run = await juju.hook("update-status");
    assert.equal(run.exitCode, 0);
    assert.deepEqual(juju.relation(0).ourAppData, before);
    assert.equal(run.status?.status, "blocked");
    assert.match(run.status?.message ?? "", /certificates:0 is at the 8 MiB bound/);
  });
});

describe("a listing past one action result shows what fits and says how many there are", () => {
  const REQUEST_COUNT = 1000;
  const factory = csrFactory();
  // Long names make long text rows, so that a thousand requests overflow every format.
  const juju = new MemoryJuju();
  juju.addRelation("alpha", {
    "alpha/0": requestBag(
      ...Array.from({ length: REQUEST_COUNT }, (_, n) =>
        factory.csr(`host-${n}-${"x".repeat(60)}.example`),
      ),
    ),
  });

  /** Checks the bound and the counts; returns how many requests the result holds. */
  function fitted(run: ActionResult, what: string): { text: string; listed: number } {
    assert.equal(run.failed, undefined, run.failed);
    const text = run.results["result"] ?? "";
    assert.ok(Buffer.byteLength(text) <= MAX_RESULT_VALUE_BYTES, `${Buffer.byteLength(text)} B`);
    assert.equal(run.results["total"], String(REQUEST_COUNT));
    const listed = Number(run.results["listed"]);
    assert.ok(listed > 50 && listed < REQUEST_COUNT, `listed ${listed}`);
    const said = run.calls.filter((call) => call[0] === "action-log").map((call) => call.at(-1));
    assert.ok(
      said.some((line) => line?.startsWith(`listing ${listed} of ${REQUEST_COUNT} ${what}`)),
      said.join("\n"),
    );
    return { text, listed };
  }

  for (const format of ["json", "pem", "text"] as const) {
    it(`get-outstanding-certificate-requests format=${format}`, async () => {
      const run = await juju.action("get-outstanding-certificate-requests", { format });
      const { text, listed } = fitted(run, "outstanding requests");
      if (format === "json") assert.equal((JSON.parse(text) as unknown[]).length, listed);
      if (format === "pem") assert.equal(text.split("-----BEGIN").length - 1, listed);
      if (format === "text") assert.equal(text.split("\n").length, listed + 2);
    });
  }

  for (const format of ["json", "text"] as const) {
    it(`get-certificate-request format=${format}`, async () => {
      const run = await juju.action("get-certificate-request", { "relation-id": 0, format });
      const { text, listed } = fitted(run, "requests");
      if (format === "json") assert.equal((JSON.parse(text) as unknown[]).length, listed);
      if (format === "text") assert.equal(text.split("\n").length, listed + 2);
    });
  }
});
