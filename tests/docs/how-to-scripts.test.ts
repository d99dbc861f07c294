// The scripts of docs/how-to/sign-with-openssl.md and docs/how-to/pki-team-batches.md, run as
// printed there with `sh`, `juju` played on the simulator by juju-on-simulator.ts: each stops
// at an action that failed (juju run itself exits 0 for it) and says why, and succeeds when
// nothing failed. Needs `npm run build` first, as npm test does.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CHARM_DIR, OPERATOR, REQUIRER_DIR } from "../e2e/harness.ts";
import { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import type { Held } from "./held-certificates.ts";
import { fences } from "./markdown.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = fileURLToPath(import.meta.resolve("tsx"));
const UNITS = ["tls-requirer/0", "tls-requirer/1", "tls-requirer/2"];
// Only tls-requirer/1's name is allowed: the others' certificates are refused.
const POLICY = `
applications:
  tls-requirer:
    dns: ["cert-0.unit-1.tls-requirer.test-model"]
`;

/** The shell block of a page whose first line is `# <name>: ...`, as printed. */
function script(page: string, name: string): string {
  const block = fences(readFileSync(join(ROOT, page), "utf8")).find((fence) =>
    new RegExp(`^# ${name.replace(".", "\\.")}[ :]`).test(fence.lines[0] ?? ""),
  );
  assert.ok(block, `${page} has no ${name}`);
  return `${block.lines.join("\n")}\n`;
}

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

describe("the how-to scripts stop at a failed action", () => {
  const work = mkdtempSync(join(tmpdir(), "how-to-scripts-"));
  const log = join(work, "juju.log");
  const env = {
    ...process.env,
    REPO: ROOT,
    SIM_DIR: join(work, ".sim"),
    TSX,
    JUJU_LOG: log,
    PATH: `${join(work, "bin")}:${process.env["PATH"] ?? ""}`,
  };
  const ca = makeCa({ commonName: "Script CA" });
  const otherCa = makeCa({ commonName: "Other CA" });
  after(() => rmSync(work, { recursive: true, force: true }));

  before(async () => {
    const sim = await Simulator.create({ dir: env.SIM_DIR });
    await sim.deploy(OPERATOR, CHARM_DIR, { config: { "signing-policy": POLICY } });
    await sim.deploy("tls-requirer", REQUIRER_DIR, { units: 3, config: { "key-type": "ec" } });
    await sim.integrate(`${OPERATOR}:certificates`, "tls-requirer:certificates");
    // From here on, `juju` runs in processes of its own; this one runs no hook.
    mkdirSync(join(work, "bin"));
    const juju = join(work, "bin/juju");
    writeFileSync(
      juju,
      '#!/bin/sh\necho "$*" >> "$JUJU_LOG"\n' +
        'exec node --import "$TSX" "$REPO/tests/docs/juju-on-simulator.ts" "$@"\n',
    );
    chmodSync(juju, 0o755);
    writeFileSync(join(work, "ca.pem"), ca.pem);
    writeFileSync(join(work, "ca.key"), ca.key);
    writeFileSync(
      join(work, "sign-outstanding.sh"),
      script("docs/how-to/sign-with-openssl.md", "sign-outstanding.sh"),
    );
    writeFileSync(
      join(work, "build-params.sh"),
      script("docs/how-to/pki-team-batches.md", "build-params.sh"),
    );
    writeFileSync(
      join(work, "hand-back.sh"),
      script("docs/how-to/pki-team-batches.md", "hand-back.sh"),
    );
  });

  function shell(command: string, cwd = work): Outcome {
    writeFileSync(log, "");
    const run = spawnSync("sh", ["-c", command], { cwd, env, encoding: "utf8", timeout: 300_000 });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  const calls = (action: string): number =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("run ") && line.includes(` ${action} `)).length;

  function outstandingCsrs(): string[] {
    const out = execFileSync(
      join(work, "bin/juju"),
      [
        "run",
        `${OPERATOR}/leader`,
        "get-outstanding-certificate-requests",
        "format=pem",
        "--format=json",
      ],
      { env, encoding: "utf8" },
    );
    const task = Object.values(JSON.parse(out) as Record<string, { results: { result: string } }>);
    return (
      task[0]!.results.result.match(/-----BEGIN[\s\S]+?-----END CERTIFICATE REQUEST-----/g) ?? []
    );
  }

  it("sign-outstanding.sh stops at the first certificate the charm refuses, printing why", () => {
    const run = shell("sh sign-outstanding.sh");
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stderr,
      /^action \d+ failed: the signing policy refuses this certificate for tls-requirer\/[02] /m,
    );
    // Two of the three requests are refused: a script that went on would provide all three.
    assert.ok(calls("provide-certificate") < 3, readFileSync(log, "utf8"));
    assert.equal(run.stderr.match(/^action \d+ failed/gm)?.length, 1, run.stderr);
  });

  it("hand-back.sh fails when the run refuses a certificate, listing each refusal", () => {
    assert.equal(shell(`juju config ${OPERATOR} --reset signing-policy`).status, 0);
    const csrs = outstandingCsrs();
    assert.ok(csrs.length >= 2, `${csrs.length} outstanding`);
    mkdirSync(join(work, "signed"));
    csrs.forEach((csr, i) =>
      writeFileSync(join(work, "signed", `${i}.pem`), signCsr(csr, i === 0 ? otherCa : ca)),
    );
    const run = shell("sh build-params.sh signed && sh hand-back.sh");
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(`^provided ${csrs.length - 1}, refused 1, unmatched 0$`, "m"),
    );
    assert.match(
      run.stderr,
      /^certificate 1 refused: certificate: the chain breaks: certificate .* is not signed by ca-certificate/m,
    );
  });

  it("hand-back.sh fails when the action fails, with the charm's message", () => {
    const [left] = outstandingCsrs();
    assert.ok(left, "one request is left");
    const bad = join(work, "bad");
    mkdirSync(join(bad, "signed"), { recursive: true });
    const leaf = signCsr(left, ca);
    writeFileSync(join(bad, "ca.pem"), leaf);
    writeFileSync(join(bad, "signed", "0.pem"), leaf);
    const run = shell("sh ../build-params.sh signed && sh ../hand-back.sh", bad);
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stderr,
      /^action \d+ failed: ca-certificate: is the certificate signed for a request of tls-requirer\/\d /m,
    );
    assert.doesNotMatch(run.stdout, /provided/);
  });

  it("sign-outstanding.sh provides what is left, and then finds nothing outstanding", () => {
    const run = shell("sh sign-outstanding.sh");
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.equal(calls("provide-certificate"), 1);
    assert.match(shell("sh sign-outstanding.sh").stdout, /^nothing outstanding$/m);
    const held = JSON.parse(
      execFileSync(
        process.execPath,
        [
          "--import",
          TSX,
          join(ROOT, "tests/docs/held-certificates.ts"),
          `--units=${UNITS.join(",")}`,
        ],
        { env, encoding: "utf8" },
      ),
    ) as Held;
    for (const unit of UNITS)
      assert.ok(Array.isArray(held.units[unit]), `${unit}: ${String(held.units[unit])}`);
  });
});
