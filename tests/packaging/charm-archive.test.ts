// `npm run pack` end to end: pack once, unpack with another zip reader, check what Juju reads,
// then run the manual flow from the unpacked charm, its hooks on the Node the charm ships.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { packCharm, readProject, type PackResult } from "../../scripts/pack/charm.ts";
import { hostJujuArch } from "../../scripts/pack/node-runtime.ts";
import {
  CHARM_DIR,
  OPERATOR,
  REQUIRER_DIR,
  outstanding,
  provide,
  received,
} from "../e2e/harness.ts";
import { Simulator } from "../simulator/index.ts";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import { unzipCharm, type ZipListing } from "./unzip.ts";

const S_IFREG = 0o100000;
const arch = hostJujuArch();
const project = readProject(CHARM_DIR);

describe("the packed charm", () => {
  let work: string;
  let packed: PackResult;
  let listing: ZipListing[];
  let charmDir: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "charm-pack-"));
    // One pack per run; the Node download stays in build/node-cache between runs.
    packed = await packCharm({ root: CHARM_DIR, outDir: work, arch });
    charmDir = join(work, "charm");
    mkdirSync(charmDir);
    listing = unzipCharm(packed.path, charmDir);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("is named as charmcraft names a platforms-style charm", () => {
    assert.equal(packed.path, join(work, `tls-certificates-operator_${arch}.charm`));
    assert.equal(statSync(packed.path).size, packed.bytes);
  });

  it("holds exactly the files Juju and dispatch need, deflated, with Unix modes", () => {
    const byName = new Map(listing.map((e) => [e.name, e]));
    const chunks = readdirSync(join(CHARM_DIR, "dist", "chunks")).map(
      (name) => `dist/chunks/${name}`,
    );
    assert.ok(chunks.length > 0);
    assert.deepEqual(
      [...byName.keys()].sort(),
      [
        "actions.yaml",
        "bin/node",
        "config.yaml",
        "dispatch",
        "dist/charm.mjs",
        ...chunks,
        "manifest.yaml",
        "metadata.yaml",
      ].sort(),
    );
    const executables = new Set(["dispatch", "dist/charm.mjs", "bin/node"]);
    for (const entry of listing) {
      assert.equal(entry.isDir, false, entry.name);
      assert.equal(entry.createSystem, 3, `${entry.name} is not marked as made on Unix`);
      assert.equal(entry.compressType, 8, `${entry.name} is not deflated`);
      const mode = executables.has(entry.name) ? 0o755 : 0o644;
      assert.equal(
        entry.unixMode,
        S_IFREG | mode,
        `${entry.name} mode ${entry.unixMode.toString(8)}`,
      );
      assert.equal(statSync(join(charmDir, entry.name)).mode & 0o777, mode, entry.name);
    }
  });

  it("copies metadata.yaml, actions.yaml, config.yaml, dispatch and the bundle byte for byte", () => {
    for (const file of [
      "metadata.yaml",
      "actions.yaml",
      "config.yaml",
      "dispatch",
      "dist/charm.mjs",
      ...readdirSync(join(CHARM_DIR, "dist", "chunks")).map((name) => `dist/chunks/${name}`),
    ]) {
      assert.ok(
        readFileSync(join(charmDir, file)).equals(readFileSync(join(CHARM_DIR, file))),
        `${file} differs from the project's`,
      );
    }
  });

  it("writes manifest.yaml with the base and architecture of the platform", () => {
    const manifest = parse(readFileSync(join(charmDir, "manifest.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.deepEqual(manifest["bases"], [
      { architectures: [arch], channel: "24.04", name: "ubuntu" },
    ]);
    assert.deepEqual(manifest["analysis"], {
      attributes: [
        { name: "language", result: "unknown" },
        { name: "framework", result: "unknown" },
      ],
    });
    assert.match(
      String(manifest["charmcraft-started-at"]),
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
    );
    assert.equal(typeof manifest["charmcraft-version"], "string");
  });

  it("ships the Node version charmcraft.yaml pins as bin/node", () => {
    assert.equal(packed.node.version, project.nodeVersion);
    const version = execFileSync(join(charmDir, "bin/node"), ["--version"], { encoding: "utf8" });
    assert.equal(version.trim(), `v${project.nodeVersion}`);
  });

  it("dispatch runs the bundle on bin/node when no other Node is on PATH", () => {
    // PATH holds only dirname (which dispatch calls), so the shipped Node is the only one.
    const path = join(work, "path");
    mkdirSync(path);
    symlinkSync(
      execFileSync("sh", ["-c", "command -v dirname"], { encoding: "utf8" }).trim(),
      join(path, "dirname"),
    );
    const run = spawnSync(join(charmDir, "dispatch"), [], {
      cwd: charmDir,
      encoding: "utf8",
      env: {
        PATH: path,
        JUJU_DISPATCH_PATH: "hooks/update-status",
        NODE_OPTIONS:
          "--import=data:text/javascript,process.stderr.write(`runtime=${process.version}\\n`)",
      },
    });
    assert.match(
      run.stderr,
      new RegExp(`^runtime=v${project.nodeVersion?.replaceAll(".", "\\.")}$`, "m"),
    );
    // Outside Juju the charm stops at once, saying why, rather than crashing on a syntax error.
    assert.match(run.stderr, /not a Juju hook environment/);
    assert.equal(run.status, 1);
  });

  it("serves a requirer from the unpacked charm: request, sign, provide, received", async () => {
    const sim = await Simulator.create();
    await sim.deploy(OPERATOR, charmDir);
    await sim.deploy("tls-requirer", REQUIRER_DIR);
    await sim.integrate(`${OPERATOR}:certificates`, "tls-requirer:certificates");
    assert.equal(
      sim.unitStatus(`${OPERATOR}/0`).message,
      "1 outstanding request, use juju actions to provide certificates",
    );
    const [request] = await outstanding(sim);
    assert.ok(request, "no outstanding request");
    const ca = makeCa();
    const certificate = signCsr(request.csr, ca);
    const run = await provide(sim, { csr: request.csr, certificate, caCertificate: ca.pem });
    assert.equal(run.status, "completed", run.message);
    const got = await received(sim, "tls-requirer/0");
    assert.ok(Array.isArray(got), String(got));
    assert.equal(got[0]?.certificate.trim(), certificate.trim());
    assert.equal(got[0]?.["ca-certificate"].trim(), ca.pem.trim());
    assert.equal(sim.state().applications[OPERATOR]?.charmDir, charmDir);
  });
});
