import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CHARM_DIR, REQUIRER_DIR } from "../e2e/harness.ts";
import { COMMANDS } from "../simulator/cli-commands.ts";

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

describe("the simulator CLI takes what a juju user would type", () => {
  const model = mkdtempSync(join(tmpdir(), "sim-cli-"));
  const work = mkdtempSync(join(tmpdir(), "sim-cli-work-"));
  /** Runs the CLI as `npm run sim` from `work` would (INIT_CWD); never throws. */
  const sim = (...args: string[]) => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "tests/simulator/cli.ts", "--dir", model, ...args],
      { cwd: CHARM_DIR, encoding: "utf8", env: { ...process.env, INIT_CWD: work } },
    );
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it("help and --help list every command and each command's options", () => {
    const help = sim("help");
    assert.equal(help.code, 0);
    for (const command of COMMANDS)
      assert.match(help.stdout, new RegExp(`^  ${command.name} `, "m"));
    assert.equal(sim("--help").stdout, help.stdout);
    const addUnit = sim("add-unit", "--help");
    assert.equal(addUnit.code, 0);
    assert.match(addUnit.stdout, /^Usage: npm run sim -- add-unit <app> \[-n N\] \[--no-settle\]/);
    assert.match(addUnit.stdout, /^ {2}-n N /m);
    assert.deepEqual(sim("help", "config").stdout, sim("config", "-h").stdout);
    assert.match(sim("help", "config").stdout, /KEY=@FILE reads the value from\nFILE/);
    const unknown = sim("frobnicate");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^ERROR unknown command "frobnicate"/);
    assert.equal(sim("add-unit", "req", "-n", "0").code, 2, "a usage error");
    assert.match(sim("status", "-n", "2").stderr, /^ERROR status does not take --n/);
  });

  it("config KEY=@FILE sets the file's text; add-unit -n N adds N units", () => {
    assert.equal(sim("deploy", REQUIRER_DIR, "req").code, 0);
    const name = "svc.example.com\n";
    writeFileSync(join(work, "name.txt"), name);
    const set = sim("config", "req", "common-name=@name.txt");
    assert.equal(set.code, 0, set.stderr);
    const stored = JSON.parse(readFileSync(join(model, "state.json"), "utf8")) as {
      applications: Record<string, { config: Record<string, unknown> }>;
    };
    assert.equal(stored.applications["req"]!.config["common-name"], name, "the file as it is");
    assert.match(
      sim("config", "req").stdout,
      /^ {2}common-name:\n(?: {4}.*\n)*? {4}source: user\n/m,
    );
    const missing = sim("config", "req", "common-name=@nowhere.txt");
    assert.equal(missing.code, 1);
    // A failed run also prints the seed to replay it with: the first line is the error.
    assert.equal(
      missing.stderr.split("\n")[0],
      `ERROR cannot read option from file "nowhere.txt": stat ${join(work, "nowhere.txt")}: ` +
        "no such file or directory",
    );
    const hex = sim("config", "req", "num-certificates=0x10");
    assert.equal(hex.code, 1);
    assert.equal(
      hex.stderr.split("\n")[0],
      'ERROR option "num-certificates" expected int, got "0x10"',
    );
    assert.equal(sim("config", "req", "num-certificates").stdout, "1\n");
    assert.equal(sim("config", "req", "--reset", "common-name").code, 0);
    assert.equal(sim("config", "req", "common-name").stdout, "", "unset: nothing");

    assert.equal(sim("add-unit", "req", "-n", "2").code, 0);
    const status = sim("status").stdout;
    for (const unit of ["req/0", "req/1", "req/2"]) {
      assert.match(status, new RegExp(`^${unit}\\*?\\s+\\S+\\s+idle`, "m"));
    }
  });

  it("--no-settle returns before the agents act, and run meets them where they are", () => {
    assert.equal(sim("deploy", CHARM_DIR, "tls-certificates-operator").code, 0);
    const integrated = sim(
      "integrate",
      "tls-certificates-operator:certificates",
      "req:certificates",
      "--no-settle",
    );
    assert.equal(integrated.code, 0, integrated.stderr);
    const early = sim(
      "run",
      "tls-certificates-operator/leader",
      "get-outstanding-certificate-requests",
      "--no-settle",
    );
    assert.equal(early.code, 0, early.stderr);
    assert.match(early.stdout, /^result: ["']\[\]["']$/m, "no requirer has joined yet");
    assert.equal(sim("settle").code, 0);
    const late = sim(
      "run",
      "tls-certificates-operator/leader",
      "get-outstanding-certificate-requests",
    );
    for (const unit of ["req/0", "req/1", "req/2"]) assert.match(late.stdout, new RegExp(unit));
  });
});
