// A small sample of the generated hostile databags and bad action inputs, through the real
// dispatch and hook-tool processes: what the in-process tests show holds across the process
// boundary too (the tools' argv limits, JSON on stdout, juju-log lines).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import type { Simulator } from "../simulator/index.ts";
import { buildActionFixtures, secretFragments } from "./action-fixtures.ts";
import { hostileBag } from "./generators.ts";
import { buildPool } from "./pool.ts";
import {
  OPERATOR,
  allDatabags,
  b64,
  listed,
  provideParams,
  requestBag,
  simModel,
} from "./sim-model.ts";
import { counter, report } from "./tally.ts";

const LEADER = `${OPERATOR}/0`;
const pool = buildPool(8);
const fx = buildActionFixtures();
const tallies = counter();

describe("generated inputs through the real dispatch", () => {
  let sim: Simulator;
  let alpha: number;

  before(async () => {
    const model = await simModel(1, { alpha: 2 });
    sim = model.sim;
    alpha = model.relations["alpha"]!;
    // alpha/0 holds an answered request (pool 0) and an unanswered one (pool 1) throughout.
    sim.setRelationData(
      alpha,
      "alpha/0",
      requestBag(pool.good[0]!.csr, pool.good[1]!.csr, fx.leafCsr),
      { notify: true },
    );
    await sim.settle();
    const run = await sim.runAction(
      LEADER,
      "provide-certificate",
      provideParams(pool.good[0]!.csr, pool.good[0]!.certificate, pool.ca.pem),
    );
    assert.equal(run.status, "completed", run.message);
  });

  it("hostile databags of a neighbour: hook exits 0, certificate kept, good requests listed, skip logged", async (t) => {
    const spare = pool.good.slice(4, 8).map((entry) => entry.csr);
    await fc.assert(
      fc.asyncProperty(
        hostileBag(pool, spare),
        // The hook Juju runs for alpha/1's write, or a full look over every relation.
        fc.constantFrom("upgrade-charm", "certificates-relation-changed"),
        async (hostile, hook) => {
          tallies.add(`dispatch cases: ${hostile.kind}`);
          const published = sim.relationData(alpha, OPERATOR)["certificates"];
          sim.setRelationData(alpha, "alpha/1", hostile.bag, { notify: true });
          // A full look sees alpha/1 as the agent cached it at its -changed, which runs first.
          if (hook === "upgrade-charm") await sim.settle();
          const logsBefore = sim.logs(LEADER).length;
          const spec =
            hook === "upgrade-charm"
              ? {}
              : { relationId: alpha, remoteApp: "alpha", remoteUnit: "alpha/1" };
          const run = await sim.runHook(LEADER, hook, spec);
          tallies.add("dispatch hooks");
          assert.equal(run.exitCode, 0, run.stderr);
          assert.ok(
            sim.relationData(alpha, OPERATOR)["certificates"] === published,
            "our certificates changed",
          );
          const lines = sim
            .logs(LEADER)
            .slice(logsBefore)
            .flatMap((l) => l.message.split("\n").map((text) => ({ level: l.level, text })));
          if (hostile.warns) {
            assert.ok(
              lines.some(
                (l) =>
                  l.level === "WARNING" && l.text.includes(`of alpha/1 on certificates:${alpha}: `),
              ),
              `no warning names alpha/1 (${hostile.kind})`,
            );
          }
          const requests = listed(
            await sim.runAction(LEADER, "get-outstanding-certificate-requests"),
          );
          const good = requests.filter((r) => r.unit_name === "alpha/0").map((r) => r.csr);
          assert.deepEqual(good, [pool.good[1]!.csr, fx.leafCsr]);
        },
      ),
      { numRuns: 15, seed: 3, includeErrorInReport: true },
    );
    sim.setRelationData(alpha, "alpha/1", {}, { notify: true });
    await sim.settle();
    report(t, "dispatch sampling", tallies);
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ["bad base64", { certificate: "!!!" }, /^certificate: not valid base64 or PEM/],
    [
      "a certificate where the CSR belongs",
      { "certificate-signing-request": b64(fx.good.leaf) },
      /^certificate-signing-request: expected one PEM CERTIFICATE REQUEST, found a CERTIFICATE instead$/,
    ],
    [
      "oversize input",
      { "ca-chain": b64(fx.good.leaf.repeat(Math.ceil((66 * 1024) / fx.good.leaf.length))) },
      /^ca-chain: is larger than the 64 KiB limit once base64-decoded/,
    ],
    [
      "an expired certificate",
      { certificate: b64(fx.bad.expired) },
      /^certificate: .* has expired/,
    ],
    [
      "a CA flag against the request",
      { certificate: b64(fx.bad.caFlagOnLeaf) },
      /^certificate: is a CA certificate but the request asked for a leaf certificate$/,
    ],
    [
      "a chain root first",
      {
        certificate: b64(fx.good.leafUnderIntermediate),
        "ca-chain": b64(`${fx.ca.pem}${fx.intermediate.pem}${fx.good.leafUnderIntermediate}`),
      },
      /^ca-chain: must be leaf first/,
    ],
    [
      "a private key after the certificate",
      { certificate: b64(`${fx.good.leaf}${fx.leafKey}`) },
      /^certificate: holds a private key; refusing it/,
    ],
    [
      "a private key as raw PEM for the CA",
      { "ca-certificate": fx.keys[2] },
      /^ca-certificate: holds a private key; refusing it/,
    ],
  ];
  for (const [what, overrides, expected] of refusals) {
    it(`provide-certificate refuses ${what} and writes nothing`, async () => {
      const before = allDatabags(sim);
      const logsBefore = sim.logs(LEADER).length;
      const run = await sim.runAction(LEADER, "provide-certificate", {
        ...provideParams(fx.leafCsr, fx.good.leaf, fx.ca.pem),
        ...overrides,
      });
      assert.equal(run.status, "failed");
      assert.match(run.message ?? "", expected);
      assert.deepEqual(Object.keys(run.results).sort(), ["return-code"]);
      assert.deepEqual(allDatabags(sim), before);
      const places = [
        run.message ?? "",
        JSON.stringify(run.results),
        run.stdout,
        run.stderr,
        ...sim
          .logs(LEADER)
          .slice(logsBefore)
          .map((l) => l.message),
      ];
      for (const key of fx.keys) {
        for (const fragment of secretFragments(key)) {
          assert.ok(
            places.every((place) => !place.includes(fragment)),
            "a private key leaked",
          );
        }
      }
      tallies.add("dispatch refusals");
    });
  }
});
