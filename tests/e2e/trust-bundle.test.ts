import assert from "node:assert/strict";
import { dirname, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { pythonJsonDumps } from "../../src/interface/python-json.ts";
import { Simulator } from "../simulator/index.ts";
import { makeCa, makeCsr, makeKey } from "../x509/fixtures.ts";
import { CHARM_DIR, OPERATOR, REQUIRER_DIR, followerOf, leaderOf } from "./harness.ts";

const TRANSFER_REQUIRER_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../charms/transfer-requirer",
);
const OPTION = "trusted-certificate-bundle";
const V0_KEYS = ["ca", "certificate", "chain", "version"];

interface Received {
  readonly certificates: string[];
  readonly sources: Record<string, string>;
}

/** What a requirer unit would hand its trust store, through its get-certificates action. */
async function received(sim: Simulator, unit: string): Promise<Received> {
  const run = await sim.runAction(unit, "get-certificates");
  assert.equal(run.status, "completed", run.message);
  return {
    certificates: JSON.parse(String(run.results["certificates"])) as string[],
    sources: JSON.parse(String(run.results["sources"])) as Record<string, string>,
  };
}

async function deployRequirer(sim: Simulator, name: string, version: 0 | 1): Promise<number> {
  await sim.deploy(name, TRANSFER_REQUIRER_DIR, { config: { version } });
  return sim.integrate(`${OPERATOR}:trust_certificate`, `${name}:receive-ca-cert`);
}

function v0Keys(bag: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(bag).filter(([key]) => V0_KEYS.includes(key)));
}

const sorted = (pems: readonly string[]): string[] => [...pems].sort();

describe("trusted-certificate-bundle is published over trust_certificate", () => {
  let sim: Simulator;
  let leader: string;
  let follower: string;
  let v1: number;
  let v0: number;
  const caA = makeCa({ commonName: "Trust Test CA A" }).pem.trim();
  const caB = makeCa({ commonName: "Trust Test CA B" }).pem.trim();

  before(async () => {
    sim = await Simulator.create();
    await sim.deploy(OPERATOR, CHARM_DIR, { units: 2 });
    [leader, follower] = [leaderOf(sim), followerOf(sim)];
    v1 = await deployRequirer(sim, "trust-v1", 1);
    v0 = await deployRequirer(sim, "trust-v0", 0);
  });

  const expectReceived = async (pems: readonly string[]) => {
    assert.deepEqual(await received(sim, "trust-v1/0"), {
      certificates: sorted(pems),
      sources: { [v1]: "app" },
    });
    // v0 cannot say "no certificates": the library reads our bare unit bag as invalid, so empty.
    assert.deepEqual(await received(sim, "trust-v0/0"), {
      certificates: sorted(pems),
      sources: { [v0]: pems.length > 0 ? "unit" : "unit-invalid" },
    });
  };

  it("publishes nothing while no bundle is configured", async () => {
    await expectReceived([]);
    assert.deepEqual(v0Keys(sim.relationData(v0, leader)), {});
  });

  it("gives a v1 requirer the app databag and a v0 requirer every unit's databag", async () => {
    await sim.config(OPERATOR, { [OPTION]: `${caA}\n${caB}\n` });
    assert.deepEqual(sim.relationData(v1, OPERATOR), {
      certificates: pythonJsonDumps([caA, caB]),
      version: "1",
    });
    for (const unit of [leader, follower]) {
      assert.deepEqual(v0Keys(sim.relationData(v1, unit)), {});
      // A v0 requirer reads whichever of our units it meets first.
      assert.deepEqual(v0Keys(sim.relationData(v0, unit)), {
        ca: pythonJsonDumps(caA),
        certificate: pythonJsonDumps(caA),
        chain: pythonJsonDumps([caA, caB]),
        version: "0",
      });
    }
    assert.deepEqual(sim.relationData(v0, OPERATOR), {});
    await expectReceived([caA, caB]);
    assert.notEqual(sim.unitStatus(leader).status, "blocked");
  });

  it("a non-leader writes only its own unit databag, and nothing when nothing changed", async () => {
    const trustCallsOf = (calls: readonly string[][]) =>
      calls.filter(
        (call) =>
          call.includes("trust_certificate") ||
          (call[0]?.startsWith("relation-") === true &&
            [v1, v0].some((id) => call.includes(String(id)))),
      );
    // update-status publishes nothing: only a trust relation's own hooks and the full look do.
    const status = await sim.runHook(follower, "update-status");
    assert.equal(status.exitCode, 0, status.stderr);
    assert.deepEqual(trustCallsOf(status.toolCalls), []);
    const run = await sim.runHook(follower, "config-changed");
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.toolCalls.filter((call) => call[0] === "relation-set").length, 0);
    const trustCalls = trustCallsOf(run.toolCalls);
    const expected = [
      ["relation-ids", "trust_certificate", "--format=json"],
      ...[v1, v0].flatMap((id) => [
        ["relation-list", "--format=json", "--app", "-r", String(id)],
        [
          "relation-get",
          "--format=json",
          "-r",
          String(id),
          "--app",
          "-",
          `trust-v${id === v1 ? 1 : 0}`,
        ],
        ["relation-get", "--format=json", "-r", String(id), "-", follower],
      ]),
    ];
    const sortedCalls = (calls: readonly (readonly string[])[]) =>
      calls.map((c) => c.join(" ")).sort();
    assert.deepEqual(sortedCalls(trustCalls), sortedCalls(expected));
  });

  it("withdraws a certificate removed from the bundle (the reference kept it)", async () => {
    await sim.config(OPERATOR, { [OPTION]: caB });
    await expectReceived([caB]);
    assert.equal(sim.relationData(v0, leader)["ca"], pythonJsonDumps(caB));
  });

  it("blocks on an invalid bundle, naming the problem, and keeps the last good one", async () => {
    const key = makeKey();
    const cases: [string, RegExp][] = [
      ["not a bundle at all", /no PEM block/],
      [key, /holds a private key; refusing it/],
      [makeCsr().pem, /expected PEM CERTIFICATE blocks only, found CERTIFICATE REQUEST/],
      [`${caA}\n${key}`, /holds a private key/],
    ];
    for (const [bundle, reason] of cases) {
      await sim.config(OPERATOR, { [OPTION]: bundle });
      for (const unit of [leader, follower]) {
        const status = sim.unitStatus(unit);
        assert.equal(status.status, "blocked", `${unit}: ${status.message}`);
        assert.match(status.message, /^Invalid trusted-certificate-bundle: /);
        assert.match(status.message, reason);
      }
      await expectReceived([caB]);
    }
    const keyBody = key.split("\n")[1] ?? "";
    assert.ok(keyBody.length > 20);
    for (const unit of [leader, follower]) {
      const logged = sim.logs(unit).map((line) => line.message);
      assert.ok(!logged.some((message) => message.includes(keyBody)), `${unit} logged the key`);
      assert.ok(!sim.unitStatus(unit).message.includes(keyBody));
    }
  });

  it("stays blocked when an action refreshes the status", async () => {
    await sim.deploy("tls-requirer", REQUIRER_DIR);
    await sim.integrate(`${OPERATOR}:certificates`, "tls-requirer:certificates");
    assert.equal(sim.unitStatus(leader).status, "blocked");
    const run = await sim.runAction(`${OPERATOR}/leader`, "get-outstanding-certificate-requests");
    assert.equal(run.status, "completed", run.message);
    assert.match(sim.unitStatus(leader).message, /^Invalid trusted-certificate-bundle: /);
  });

  it("unblocks and publishes once the bundle is fixed", async () => {
    await sim.config(OPERATOR, { [OPTION]: caA });
    for (const unit of [leader, follower]) {
      assert.notEqual(sim.unitStatus(unit).status, "blocked");
    }
    await expectReceived([caA]);
  });

  it("gives a requirer related after the bundle was set the bundle", async () => {
    const lateV1 = await deployRequirer(sim, "late-v1", 1);
    const lateV0 = await deployRequirer(sim, "late-v0", 0);
    assert.deepEqual(await received(sim, "late-v1/0"), {
      certificates: [caA],
      sources: { [lateV1]: "app" },
    });
    assert.deepEqual(await received(sim, "late-v0/0"), {
      certificates: [caA],
      sources: { [lateV0]: "unit" },
    });
    // The v1 requirer announced its version after our relation-created: no v0 copy is left.
    assert.deepEqual(v0Keys(sim.relationData(lateV1, leader)), {});
  });

  it("publishes an expired certificate but warns, naming its subject", async () => {
    const expired = makeCa({
      commonName: "Trust Test Expired CA",
      notBefore: new Date("2020-01-01T00:00:00Z"),
      notAfter: new Date("2021-01-01T00:00:00Z"),
    }).pem.trim();
    await sim.config(OPERATOR, { [OPTION]: `${caA}\n${expired}` });
    await expectReceived([caA, expired]);
    const warnings = sim.logs(leader).filter((line) => line.level === "WARNING");
    assert.ok(
      warnings.some((line) => /expired.*CN=Trust Test Expired CA/.test(line.message)),
      JSON.stringify(warnings),
    );
  });

  it("withdraws everything when the bundle is emptied or unset", async () => {
    for (const value of ["", null, "  \n"]) {
      await sim.config(OPERATOR, { [OPTION]: caB });
      await expectReceived([caB]);
      await sim.config(OPERATOR, { [OPTION]: value });
      assert.deepEqual(sim.relationData(v1, OPERATOR), { certificates: "[]", version: "1" });
      assert.deepEqual(v0Keys(sim.relationData(v0, leader)), {});
      await expectReceived([]);
      assert.notEqual(sim.unitStatus(leader).status, "blocked");
    }
  });

  it("keeps every unit's v0 copy current when leadership moves", async () => {
    await sim.setLeader(follower);
    await sim.config(OPERATOR, { [OPTION]: caB });
    for (const unit of [leader, follower]) {
      assert.equal(v0Keys(sim.relationData(v0, unit))["chain"], pythonJsonDumps([caB]));
    }
    assert.deepEqual(sim.relationData(v1, OPERATOR), {
      certificates: pythonJsonDumps([caB]),
      version: "1",
    });
    await expectReceived([caB]);
    await sim.setLeader(leader);
    await sim.config(OPERATOR, { [OPTION]: `${caA}\n${caB}` });
    await expectReceived([caA, caB]);
  });

  it("sends no relation-set when nothing changed", async () => {
    await sim.config(OPERATOR, { [OPTION]: `${caA}\n${caB}` });
    const run = await sim.runHook(leader, "update-status");
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(
      run.toolCalls.filter((call) => call[0] === "relation-set"),
      [],
    );
  });
});

describe("without a trust_certificate relation", () => {
  it("a hook makes no relation call for it beyond listing the relations", async () => {
    const sim = await Simulator.create();
    await sim.deploy(OPERATOR, CHARM_DIR, {
      config: { [OPTION]: makeCa().pem },
    });
    // The full look lists the trust relations; update-status does not even list them.
    for (const [hook, listed] of [
      ["config-changed", [["relation-ids", "trust_certificate", "--format=json"]]],
      ["update-status", []],
    ] as const) {
      const run = await sim.runHook(`${OPERATOR}/0`, hook);
      assert.equal(run.exitCode, 0, run.stderr);
      const relationCalls = run.toolCalls.filter((call) => call[0]?.startsWith("relation-"));
      assert.ok(
        relationCalls.every((call) => call[0] === "relation-ids"),
        hook,
      );
      assert.deepEqual(
        relationCalls.filter((call) => call.includes("trust_certificate")),
        listed,
        hook,
      );
    }
  });
});
