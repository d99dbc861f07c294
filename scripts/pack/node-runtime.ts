// The Node runtime shipped as bin/node. charmcraft's npm plugin downloads it from nodejs.org;
// without charmcraft we take the same official binary from the npm registry, where Node's
// release builds are published as node-linux-<arch> packages.
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
 * The official binary of an exact Node version for arch, from the npm registry through
 * `npm pack` (which checks the tarball's integrity). The extracted binary is kept in cacheDir,
 * so only the first pack of a version downloads anything.
 */
export async function registryNode(
  version: string,
  arch: Arch,
  cacheDir: string,
): Promise<NodeRuntime> {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `npm-node-version "${version}" is not an exact version; pin one like "22.12.0" so the charm and its runtime are reproducible`,
    );
  }
  const pkg = registryPackage(version, arch);
  const dir = join(cacheDir, pkg.replace("@", "-"));
  const binary = join(dir, "bin", "node");
  const source = `npm registry ${pkg}`;
  if (existsSync(binary)) return { path: binary, version, source };

  // Each process downloads into a directory of its own, so concurrent packs never share a file.
  const downloads = join(cacheDir, `.download-${process.pid}`);
  mkdirSync(downloads, { recursive: true });
  let tarball: string;
  try {
    const { stdout } = await run("npm", ["pack", pkg, "--json", "--pack-destination", downloads], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as { filename: string }[];
    if (!packed) throw new Error("npm pack printed no file");
    tarball = join(downloads, packed.filename);
  } catch (error) {
    rmSync(downloads, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : "";
    throw new Error(
      `cannot fetch ${pkg} from the npm registry (${detail}). Check that the version exists ` +
        `(npm view node-linux-${NODE_ARCH[arch]} versions), pin one that does in charmcraft.yaml's ` +
        `npm-node-version, or pack with --node=current to ship the Node running this script.`,
      { cause: error },
    );
  }
  const file = extractFromTgz(readFileSync(tarball), "package/bin/node");
  // The tarball (about 50 MB) is of no further use once its one file is out.
  rmSync(downloads, { recursive: true, force: true });
  if (!file) throw new Error(`${tarball} holds no package/bin/node`);
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
