// charmcraft.yaml's part built as charmcraft 3/4 builds it (through craft-parts and its npm
// plugin), on a PATH with no Node: the real override-build text, a craftctl whose `default` does
// what the plugin does, then the prime list. What comes out must be what `npm run pack` ships.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { z } from "zod";
import { packCharm, readProject } from "../../scripts/pack/charm.ts";
import { hostJujuArch } from "../../scripts/pack/node-runtime.ts";
import { CHARM_DIR } from "../e2e/harness.ts";
import {
  currentNpmPackageDir,
  npmPluginBuildCommands,
  partDirs,
  prime,
  primedFiles,
  runOverrideBuild,
  toolsDir,
  type BuildRun,
  type PartDirs,
} from "./craft-parts.ts";
import { unzipCharm } from "./unzip.ts";

const Part = z.object({
  plugin: z.literal("npm"),
  "override-build": z.string(),
  prime: z.array(z.string()),
});
const Charmcraft = z.object({ parts: z.record(z.string(), z.unknown()) });

/**
 * Files charmcraft writes into the prime dir itself after the parts lifecycle
 * (charmcraft/services/package.py PackageService.write_metadata): manifest.yaml, and
 * metadata.yaml, actions.yaml and config.yaml copied from the project dir.
 */
const WRITTEN_BY_CHARMCRAFT = new Set([
  "manifest.yaml",
  "metadata.yaml",
  "actions.yaml",
  "config.yaml",
]);

/** What bash, npm's scripts (/bin/sh) and the scriptlet call; no node and no npm. */
const TOOLS = [
  "bash",
  "sh",
  "env",
  "install",
  "mkdir",
  "cp",
  "ln",
  "rm",
  "cat",
  "tail",
  "chmod",
  "dirname",
  "uname",
];

/** The project as a fresh clone has it: tracked and unignored files, no node_modules or dist. */
function copyProject(to: string): void {
  const listed = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: CHARM_DIR, encoding: "utf8" },
  );
  for (const file of listed.split("\0").filter(Boolean)) {
    const from = join(CHARM_DIR, file);
    if (!existsSync(from)) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
}

function passThrough(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

describe("charmcraft pack's build of the charm part", () => {
  const raw = Charmcraft.parse(parse(readFileSync(join(CHARM_DIR, "charmcraft.yaml"), "utf8")));
  const [partName, partYaml] = Object.entries(raw.parts)[0] ?? [];
  const part = Part.parse(partYaml);
  let work: string;
  let dirs: PartDirs;
  let env: Record<string, string>;
  let build: BuildRun;
  let primed: string[] = [];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "craft-parts-"));
    dirs = partDirs(join(work, "project"), partName ?? "charm");
    copyProject(dirs.src);
    // part_handler.py _run_build: the build dir starts as a copy of the pulled source.
    copyProject(dirs.build);
    const path = toolsDir(join(work, "tools"), TOOLS);
    env = {
      PATH: path,
      HOME: process.env["HOME"] ?? work,
      // Only to reuse the local npm cache; what gets installed is the same.
      npm_config_prefer_offline: "true",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
      // The network's own CA and proxy, as a build instance would be set up to reach the registry.
      ...passThrough([
        "NODE_EXTRA_CA_CERTS",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
      ]),
    };
    build = await runOverrideBuild({
      dirs,
      part: partName ?? "charm",
      project: readProject(CHARM_DIR).name,
      overrideBuild: part["override-build"],
      pluginCommands: npmPluginBuildCommands(process.execPath, currentNpmPackageDir()),
      env,
      craftctlDir: path,
      timeoutMs: 240_000,
    });
    if (build.status === 0) {
      primed = primedFiles(dirs.install, part.prime);
      prime(dirs.install, dirs.prime, primed);
    }
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("starts from a PATH with neither node nor npm, as a fresh build instance does", () => {
    const found = spawnSync("bash", ["-c", "command -v node || command -v npm"], { env });
    assert.equal(found.status, 1, `found ${String(found.stdout)}`);
  });

  it("runs override-build to the end under set -euo pipefail", () => {
    assert.equal(
      build.status,
      0,
      `override-build exited ${build.status} (signal ${build.signal}):\n${build.output.slice(-3000)}`,
    );
  });

  it("primes exactly what npm run pack ships, file for file and mode for mode", async () => {
    assert.equal(build.status, 0, "override-build failed");

    const out = join(work, "pack");
    const packed = await packCharm({
      root: dirs.build,
      outDir: out,
      arch: hostJujuArch(),
      node: "current",
    });
    const unzipped = join(out, "charm");
    mkdirSync(unzipped);
    const shipped = unzipCharm(packed.path, unzipped)
      .map((entry) => entry.name)
      .filter((name) => !WRITTEN_BY_CHARMCRAFT.has(name))
      .sort();

    assert.deepEqual(primed, shipped);
    for (const file of shipped) {
      const primed = join(dirs.prime, file);
      const packedFile = join(unzipped, file);
      assert.equal(
        statSync(primed).mode & 0o777,
        statSync(packedFile).mode & 0o777,
        `${file}: primed and packed modes differ`,
      );
      assert.ok(
        readFileSync(primed).equals(readFileSync(packedFile)),
        `${file}: primed and packed bytes differ`,
      );
    }
  });

  it("ships a bin/node that runs and dispatch that is executable", () => {
    assert.equal(build.status, 0, "override-build failed");
    const version = execFileSync(join(dirs.prime, "bin", "node"), ["--version"], {
      encoding: "utf8",
    });
    assert.equal(version.trim(), process.version);
    assert.equal(statSync(join(dirs.prime, "dispatch")).mode & 0o111, 0o111);
  });
});
