// What each hook reads once the leader keeps a summary of every certificates relation
// (in-process, on the small Juju in memory).
import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { serializeProvidedCertificates } from "../../src/interface/provided-certificates.ts";
import { MemoryJuju, OPERATOR, type Bag } from "../robustness/memory-juju.ts";
import { buildPool, type PoolEntry } from "../robustness/pool.ts";

const REQUESTS = "certificate_signing_requests";
const pool = buildPool(8);
const ca = pool.ca.pem.trim();
const LEADER = `${OPERATOR}/0`;
const requests = (...entries: PoolEntry[]): Bag => ({
  [REQUESTS]: JSON.stringify(entries.map(({ csr }) => ({ certificate_signing_request: csr }))),
});
const answered = (...entries: PoolEntry[]) =>
  serializeProvidedCertificates(
    entries.map(({ csr, certificate }) => ({
      csr,
      certificate,
      ca,
      chain: [certificate, ca],
      revoked: false,
    })),
  );
const toolsOf = (calls: readonly (readonly string[])[]) =>
  calls.filter((call) => call[0] !== "juju-log").map((call) => call.join(" "));
const relationReads = (calls: readonly (readonly string[])[]) =>
  calls.filter((call) => call[0] === "relation-get" || call[0] === "relation-list");
const readsOf = (calls: readonly (readonly string[])[], relationId: number) =>
  relationReads(calls).filter((call) => call[call.indexOf("-r") + 1] === String(relationId));

/** Three requirers: relation 0 has an answered request and an open one, 1 and 2 one open each. */
function model(): MemoryJuju {
  const juju = new MemoryJuju();
  juju.addRelation("alpha", { "alpha/0": requests(pool.good[0]!, pool.good[1]!) });
  juju.addRelation("beta", { "beta/0": requests(pool.good[2]!), "beta/1": {} });
  juju.addRelation("gamma", {}, requests(pool.good[3]!));
  juju.relation(0).ourAppData["certificates"] = answered(pool.good[0]!);
  return juju;
}

describe("hooks that cost what changed", () => {
  let juju: MemoryJuju;
  beforeEach(async () => {
    juju = model();
    const elected = await juju.hook("leader-elected");
    assert.equal(elected.exitCode, 0);
    assert.equal(
      elected.status?.message,
      "3 outstanding requests, use juju actions to provide certificates",
    );
    for (const id of [0, 1, 2]) assert.ok(readsOf(elected.calls, id).length > 0, `relation ${id}`);
  });

  it("update-status reads no relation and shows what the full look showed", async () => {
    const run = await juju.hook("update-status");
    assert.equal(run.exitCode, 0);
    assert.deepEqual(toolsOf(run.calls).sort(), [
      "config-get --format=json",
      "is-leader --format=json",
      "relation-ids certificates --format=json",
      "state-get --format=json",
      `status-set --application=False active -- 3 outstanding requests, use juju actions to provide certificates`,
    ]);
  });

  it("a -changed hook reads its own relation only, and the next update-status counts its change", async () => {
    juju.relation(1).units["beta/1"] = requests(pool.good[4]!, pool.good[5]!);
    const run = await juju.hook("certificates-relation-changed", {
      relationId: 1,
      remoteUnit: "beta/1",
    });
    assert.equal(run.exitCode, 0);
    assert.deepEqual(readsOf(run.calls, 0), []);
    assert.deepEqual(readsOf(run.calls, 2), []);
    assert.ok(readsOf(run.calls, 1).length >= 3, "beta's units and application");
    assert.match(run.status?.message ?? "", /^5 outstanding requests/);
    const after = await juju.hook("update-status");
    assert.deepEqual(relationReads(after.calls), []);
    assert.match(after.status?.message ?? "", /^5 outstanding requests/);
  });

  it("-broken forgets its relation, and what it counted", async () => {
    juju.removeRelation(2);
    const run = await juju.hook("certificates-relation-broken", { relationId: 2 });
    assert.equal(run.exitCode, 0);
    assert.deepEqual(relationReads(run.calls), []);
    assert.match(run.status?.message ?? "", /^2 outstanding requests/);
    assert.deepEqual(Object.keys(juju.charmState[LEADER]!).sort(), [
      "summary",
      "summary/certificates:0",
      "summary/certificates:1",
    ]);
  });

  it("update-status looks at every relation again once an hour has passed since the last look", async () => {
    const state = juju.charmState[LEADER]!;
    const meta = JSON.parse(state["summary"]!) as Record<string, number>;
    state["summary"] = JSON.stringify({ ...meta, "full-look": Date.now() - 3_600_000 });
    // What no hook told the leader about, the hourly look finds.
    juju.relation(2).remoteAppData = {};
    const run = await juju.hook("update-status");
    for (const id of [0, 1, 2]) assert.ok(readsOf(run.calls, id).length > 0, `relation ${id}`);
    assert.match(run.status?.message ?? "", /^2 outstanding requests/);
    const renewed = JSON.parse(juju.charmState[LEADER]!["summary"]!) as Record<string, number>;
    assert.ok(renewed["full-look"]! > Date.now() - 60_000);
  });

  it("a relation with no entry is read on the next hook, whatever the hook", async () => {
    delete juju.charmState[LEADER]!["summary/certificates:1"];
    const run = await juju.hook("update-status");
    assert.deepEqual(readsOf(run.calls, 0), []);
    assert.ok(readsOf(run.calls, 1).length > 0);
    assert.ok(juju.charmState[LEADER]!["summary/certificates:1"]);
  });

  it("a summary of another version or none at all brings a full look", async () => {
    for (const change of [
      (state: Bag) => void delete state["summary"],
      (state: Bag) => void (state["summary"] = "{"),
      (state: Bag) => {
        const meta = JSON.parse(state["summary"]!) as Record<string, number>;
        state["summary"] = JSON.stringify({ ...meta, version: 999 });
      },
    ]) {
      change(juju.charmState[LEADER]!);
      const run = await juju.hook("update-status");
      for (const id of [0, 1, 2]) assert.ok(readsOf(run.calls, id).length > 0, `relation ${id}`);
    }
  });

  it("a hook that sees a new signing policy looks at every relation, config-changed or not", async () => {
    // Juju runs a pending action before a queued config-changed, and an action may keep a
    // relation's summary under the new policy: the next hook must not trust the rest.
    juju.config["signing-policy"] = "enforcement: warn\napplications: {}\n";
    const run = await juju.hook("certificates-relation-changed", { relationId: 0 });
    for (const id of [0, 1, 2]) assert.ok(readsOf(run.calls, id).length > 0, `relation ${id}`);
  });

  it("judges expiry against the clock and today's window from the kept dates, reading nothing", async () => {
    juju.config["expiry-warning-days"] = 3650;
    const run = await juju.hook("update-status");
    assert.deepEqual(relationReads(run.calls), []);
    assert.match(
      run.status?.message ?? "",
      /1 certificate expires within 3650 days \(first: alpha\/0 on /,
    );
  });

  it("reports a certificate entering the warning window as time passes, reading nothing", async (t) => {
    const quiet = await juju.hook("update-status");
    assert.equal(
      quiet.status?.message,
      "3 outstanding requests, use juju actions to provide certificates",
    );
    // The pool's certificates are valid 90 days: 70 days on, one is 20 days from its end.
    t.mock.timers.enable({ apis: ["Date"], now: Date.now() + 70 * 86_400_000 });
    const meta = JSON.parse(juju.charmState[LEADER]!["summary"]!) as Record<string, number>;
    juju.charmState[LEADER]!["summary"] = JSON.stringify({ ...meta, "full-look": Date.now() });
    const later = await juju.hook("update-status");
    assert.deepEqual(relationReads(later.calls), []);
    assert.match(
      later.status?.message ?? "",
      /; 1 certificate expires within 30 days \(first: alpha\/0 on /,
    );
  });

  it("a non-leader reads no certificates relation and keeps no entries", async () => {
    const standby = `${OPERATOR}/1`;
    juju.charmState[standby] = { ...juju.charmState[LEADER]! };
    for (const hook of ["update-status", "leader-settings-changed", "update-status"]) {
      const run = await juju.hook(hook, { unit: standby });
      assert.equal(run.exitCode, 0);
      assert.deepEqual(relationReads(run.calls), []);
      assert.match(run.status?.message ?? "", /^Standby/);
    }
    assert.deepEqual(Object.keys(juju.charmState[standby]!), ["summary"]);
  });
});
