// The tutorial's simulator session, run as written: every shell block of docs/tutorial.md marked
// `<!-- tested: ... -->`, in order, in one bash with `set -euo pipefail`. Only two things differ
// from a reader's terminal: the session starts in a scratch directory rather than the checkout,
// so `npm` is a function that runs package.json's scripts in the repository as npm does there
// (the `sim` script itself, without npm's start-up, which would double the run, with the
// INIT_CWD npm sets to the directory it was called from), and the
// simulated model lives in a scratch $SIM_DIR. Needs `npm run build` first, as npm test does.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { fences } from "./markdown.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TUTORIAL = join(ROOT, "docs/tutorial.md");

function testedBlocks(): string[][] {
  return fences(readFileSync(TUTORIAL, "utf8"))
    .filter((fence) => fence.before.startsWith("<!-- tested:"))
    .map((fence) => [...fence.lines]);
}

/** What `npm run sim` runs, from package.json. */
function simScript(): string {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  assert.ok(scripts["sim"], "package.json has no sim script");
  return scripts["sim"];
}

describe("the tutorial on the simulator", () => {
  const work = mkdtempSync(join(tmpdir(), "tutorial-"));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("gets a certificate signed by a CA made on the spot to the requirer, as written", () => {
    const blocks = testedBlocks();
    assert.ok(blocks.length >= 5, `only ${blocks.length} blocks are marked as tested`);
    const script = [
      "set -euo pipefail",
      "npm() {",
      '  if [ "$1" = run ] && [ "$2" = --silent ]; then shift; set -- run "${@:2}"; fi',
      '  if [ "$1" = run ] && [ "$2" = sim ]; then',
      '    shift 2; if [ "${1:-}" = -- ]; then shift; fi',
      '    (export INIT_CWD="$PWD"; cd "$REPO" && eval "$SIM_SCRIPT \\"\\$@\\"")',
      '  else command npm --prefix "$REPO" "$@"; fi',
      "}",
      ...blocks.flat(),
    ].join("\n");
    const run = spawnSync("bash", ["-c", script], {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, REPO: ROOT, SIM_DIR: join(work, ".sim"), SIM_SCRIPT: simScript() },
      timeout: 240_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, output.slice(-4000));
    assert.match(run.stdout, /1 outstanding request, use juju actions to provide certificates/);
    assert.match(run.stdout, /^result: Certificates successfully provided\.$/m);
    assert.match(run.stdout, /^certificates: '\[\{"certificate": "-----BEGIN/m);
    assert.match(
      run.stdout,
      /tls-certificates-operator\/0\*\s+active\s+idle.*No outstanding requests\./,
    );
    assert.match(
      run.stdout,
      /tls-requirer\/0\*\s+active\s+idle.*1\/1 certificate requests are fulfilled/,
    );

    // What the reader's directory holds afterwards: their CA's certificate for the requirer.
    const certificate = join(work, "build/tutorial/cert.pem");
    assert.ok(existsSync(certificate), "no cert.pem in build/tutorial");
    const issuer = execFileSync("openssl", ["x509", "-in", certificate, "-noout", "-issuer"], {
      encoding: "utf8",
    });
    assert.match(issuer, /CN ?= ?Tutorial CA/);
  });
});
