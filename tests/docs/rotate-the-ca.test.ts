// docs/how-to/rotate-the-ca.md, run as written on the simulator: a model whose requirers (of
// several library versions) hold certificates from the old CA, and trust_certificate consumers
// of both interface versions that trust it; then every block of the page marked `tested`, in
// order, each in bash with `set -euo pipefail` after the page's helpers block, `juju` played by
// juju-on-simulator.ts. After every step, every requirer's certificate must verify (openssl
// verify) against the bundle each consumer holds: the page's order never leaves one untrusted.
// Needs `npm run build` first, as npm test does.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CHARM_DIR, LEADER, OPERATOR, REQUIRER_DIR, base64, outstanding } from "../e2e/harness.ts";
import { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import type { Held } from "./held-certificates.ts";
import { fences } from "./markdown.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PAGE = join(ROOT, "docs/how-to/rotate-the-ca.md");
const TRANSFER_REQUIRER_DIR = join(ROOT, "tests/charms/transfer-requirer");
const TSX = fileURLToPath(import.meta.resolve("tsx"));

const REQUIRERS = [
  { name: "lib-v1", units: 1, config: { library: "v1", "key-type": "rsa" } },
  { name: "lib-v2-old", units: 1, config: { library: "v2", libpatch: 18, "key-type": "ec" } },
  { name: "lib-v4-app", units: 1, config: { library: "v4", mode: "app", "key-type": "ed25519" } },
  { name: "charmlibs", units: 2, config: { library: "charmlibs", "key-type": "ec" } },
];
const UNITS = REQUIRERS.flatMap(({ name, units }) =>
  Array.from({ length: units }, (_, i) => `${name}/${i}`),
);
const CONSUMERS = { "trust-v1": 1, "trust-v0": 0 } as const;
const CONSUMER_UNITS = Object.keys(CONSUMERS).map((name) => `${name}/0`);

interface Step {
  readonly lines: readonly string[];
  readonly text: string;
}

/** The page's helpers block, run before each step, and the steps, in order. */
function pageBlocks(): { helpers: readonly string[]; steps: Step[] } {
  const marked = fences(readFileSync(PAGE, "utf8")).filter((fence) =>
    fence.before.startsWith("<!-- tested:"),
  );
  const [helpers, ...steps] = marked;
  assert.ok(helpers !== undefined, "no block is marked as tested");
  assert.ok(helpers.before.includes("before each of the others"), "the first block is helpers");
  return {
    helpers: helpers.lines,
    steps: steps.map((fence) => ({ lines: fence.lines, text: fence.lines.join("\n") })),
  };
}

const der = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
const samePem = (a: string, b: string): boolean => der(a).equals(der(b));

describe("docs/how-to/rotate-the-ca.md on the simulator", () => {
  const work = mkdtempSync(join(tmpdir(), "rotate-the-ca-"));
  const simDir = join(work, ".sim");
  const env = { ...process.env, REPO: ROOT, SIM_DIR: simDir, TSX };
  const oldCa = makeCa({ commonName: "Example CA" });
  after(() => rmSync(work, { recursive: true, force: true }));

  before(async () => {
    // Set up in this process; every later step runs in processes of its own, each serving the
    // model's agent socket in turn, so this process runs no hook after this.
    const sim = await Simulator.create({ dir: simDir });
    await sim.deploy(OPERATOR, CHARM_DIR);
    for (const { name, units, config } of REQUIRERS) {
      await sim.deploy(name, REQUIRER_DIR, { units, config });
      await sim.integrate(`${OPERATOR}:certificates`, `${name}:certificates`);
    }
    for (const [name, version] of Object.entries(CONSUMERS)) {
      await sim.deploy(name, TRANSFER_REQUIRER_DIR, { config: { version } });
      await sim.integrate(`${OPERATOR}:trust_certificate`, `${name}:receive-ca-cert`);
    }
    const requests = await outstanding(sim);
    const run = await sim.runAction(LEADER, "provide-certificates", {
      certificates: base64(requests.map((r) => signCsr(r.csr, oldCa, { days: 365 })).join("\n")),
      "ca-certificate": base64(oldCa.pem),
    });
    assert.equal(run.results["provided"], String(requests.length), String(run.results["result"]));
    await sim.config(OPERATOR, { "trusted-certificate-bundle": oldCa.pem });
    writeFileSync(join(work, "old-ca.pem"), oldCa.pem);
  });

  function held(): Held {
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        TSX,
        join(ROOT, "tests/docs/held-certificates.ts"),
        `--units=${UNITS.join(",")}`,
        `--trust=${CONSUMER_UNITS.join(",")}`,
      ],
      { env, encoding: "utf8" },
    );
    return JSON.parse(out) as Held;
  }

  /** Every requirer's certificate verifies against each consumer's bundle; returns them. */
  function checkTrust(after: string): Held {
    const now = held();
    for (const consumer of CONSUMER_UNITS) {
      const bundle = now.trust[consumer] ?? [];
      assert.ok(bundle.length > 0, `${after}: ${consumer} trusts nothing`);
      writeFileSync(join(work, "trusted.pem"), `${bundle.join("\n")}\n`);
      for (const unit of UNITS) {
        const got = now.units[unit];
        assert.ok(Array.isArray(got) && got.length > 0, `${after}: ${unit}: ${String(got)}`);
        for (const { certificate } of got) {
          writeFileSync(join(work, "held.pem"), certificate);
          const verify = spawnSync(
            "openssl",
            ["verify", "-CAfile", join(work, "trusted.pem"), join(work, "held.pem")],
            { encoding: "utf8" },
          );
          assert.equal(
            verify.status,
            0,
            `${after}: ${unit}'s certificate does not verify against ${consumer}'s bundle: ` +
              `${verify.stdout}${verify.stderr}`,
          );
        }
      }
    }
    return now;
  }

  const issuedBy = (now: Held, caPem: string): boolean =>
    UNITS.every((unit) => {
      const got = now.units[unit];
      return Array.isArray(got) && got.every((c) => samePem(c["ca-certificate"], caPem));
    });

  it("keeps every requirer trusted after every step, and ends with the new CA alone", () => {
    const start = checkTrust("before the first step");
    assert.ok(issuedBy(start, oldCa.pem));
    const { helpers, steps } = pageBlocks();
    assert.ok(steps.length >= 5, `only ${steps.length} steps are marked as tested`);
    let provided = false;
    for (const [index, step] of steps.entries()) {
      const name = `step ${index + 1} (${step.lines[0]})`;
      const script = [
        "set -euo pipefail",
        'juju() { node --import "$TSX" "$REPO/tests/docs/juju-on-simulator.ts" "$@"; }',
        ...helpers,
        ...step.lines,
      ].join("\n");
      const run = spawnSync("bash", ["-c", script], {
        cwd: work,
        env,
        encoding: "utf8",
        timeout: 300_000,
      });
      assert.equal(run.status, 0, `${name} failed:\n${run.stdout}\n${run.stderr}`.slice(-4000));
      const now = checkTrust(`after ${name}`);
      if (step.text.includes("=@bundle.pem")) {
        for (const consumer of CONSUMER_UNITS) assert.equal(now.trust[consumer]?.length, 2);
      }
      if (step.text.includes("get-issued-certificates") && step.text.includes("format=text")) {
        // One certificate per unit: the app-mode application has one unit.
        const count = provided ? 0 : UNITS.length;
        assert.match(run.stdout, new RegExp(`^\\s*${count} certificates$`, "m"), run.stdout);
      }
      if (step.text.includes("provide-certificates")) {
        provided = true;
        const newCa = readFileSync(join(work, "new-ca.pem"), "utf8");
        assert.ok(issuedBy(now, newCa), `${name}: a requirer still holds the old CA's certificate`);
        assert.match(run.stdout, /^provided \d+, refused 0, unmatched 0$/m);
      }
      if (step.text.includes("=@new-ca.pem")) {
        const newCa = readFileSync(join(work, "new-ca.pem"), "utf8");
        for (const consumer of CONSUMER_UNITS) {
          const bundle = now.trust[consumer] ?? [];
          assert.ok(bundle.length === 1 && samePem(bundle[0]!, newCa), `${consumer}: ${bundle}`);
        }
      }
    }
    const listings = steps.filter((step) => step.text.includes("get-issued-certificates"));
    assert.ok(listings.length >= 2, "the page lists what the old CA signed, before and after");
  });
});
