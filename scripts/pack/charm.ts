// Packs the charm as charmcraft 3 would for one platform of charmcraft.yaml, without charmcraft:
// the primed tree (dispatch, dist/charm.mjs and its chunks, bin/node), the metadata files copied verbatim,
// and a manifest.yaml naming the base and architecture Juju deploys it on.
import { existsSync, readdirSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Document, isScalar, parse } from "yaml";
import { z } from "zod";
import {
  currentNode,
  hostJujuArch,
  registryNode,
  type Arch,
  type NodeRuntime,
} from "./node-runtime.ts";
import { writeZip, type ZipEntry } from "./zip.ts";

/** What the packer needs from charmcraft.yaml; tests/packaging checks the whole file. */
const CharmcraftYaml = z.object({
  type: z.literal("charm"),
  base: z.string().regex(/^ubuntu@\d\d\.\d\d$/),
  platforms: z.record(z.string(), z.unknown()),
  parts: z.record(z.string(), z.object({ "npm-node-version": z.string().optional() }).loose()),
});

const MetadataYaml = z.object({ name: z.string().min(1) }).loose();

/** The manifest's `charmcraft-version`: the layout it follows, and who really made it. */
export const PACKER_VERSION = "3.0.0+npm-pack";

export interface PackOptions {
  /** The charm project: charmcraft.yaml, metadata.yaml, dispatch, dist/charm.mjs. */
  readonly root: string;
  /** Where the .charm goes; default <root>/build. */
  readonly outDir?: string;
  /** Default: this machine's architecture. */
  readonly arch?: Arch;
  /** "registry" (default): node-linux-<arch> from the npm registry, checked against its pin; "current": the Node running this. */
  readonly node?: "registry" | "current";
  /** Where registry downloads are kept; default <root>/build/node-cache. */
  readonly cacheDir?: string;
  /** Build time for the manifest and the zip entries; default now. */
  readonly now?: Date;
}

export interface PackedEntry {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
}

export interface PackResult {
  readonly path: string;
  readonly bytes: number;
  readonly base: string;
  readonly arch: Arch;
  readonly node: NodeRuntime;
  readonly entries: readonly PackedEntry[];
  readonly manifest: string;
}

export interface ProjectInfo {
  readonly name: string;
  readonly base: string;
  readonly platforms: readonly string[];
  readonly nodeVersion: string | undefined;
}

export function readProject(root: string): ProjectInfo {
  const charmcraft = CharmcraftYaml.parse(
    parse(readFileSync(join(root, "charmcraft.yaml"), "utf8")),
  );
  const metadata = MetadataYaml.parse(parse(readFileSync(join(root, "metadata.yaml"), "utf8")));
  const versions = Object.values(charmcraft.parts)
    .map((part) => part["npm-node-version"])
    .filter((v): v is string => v !== undefined);
  return {
    name: metadata.name,
    base: charmcraft.base,
    platforms: Object.keys(charmcraft.platforms),
    nodeVersion: versions[0],
  };
}

/** charmcraft names a platforms-style charm <name>_<platform name>.charm. */
export function charmFileName(project: ProjectInfo, platform: string): string {
  return `${project.name}_${platform}.charm`;
}

/** manifest.yaml as charmcraft writes it for a platforms-style charm with no lint attributes. */
export function manifestYaml(base: string, arch: Arch, now: Date): string {
  const [name, channel] = base.split("@");
  const doc = new Document({
    analysis: {
      attributes: [
        { name: "language", result: "unknown" },
        { name: "framework", result: "unknown" },
      ],
    },
    bases: [{ architectures: [arch], channel, name }],
    "charmcraft-started-at": now.toISOString(),
    "charmcraft-version": PACKER_VERSION,
  });
  // Quoted as PyYAML quotes them: a YAML 1.1 reader would take these for a number and a date.
  for (const key of [["bases", 0, "channel"], ["charmcraft-started-at"]]) {
    const node = doc.getIn(key, true);
    if (isScalar(node)) node.type = "QUOTE_SINGLE";
  }
  return doc.toString();
}

function fileEntry(root: string, path: string, mode: number): ZipEntry {
  const full = join(root, path);
  if (!existsSync(full) || !statSync(full).isFile()) {
    const hint = path.startsWith("dist/") ? " (run npm run build first)" : "";
    throw new Error(`cannot pack the charm: ${full} is missing${hint}`);
  }
  return { name: path, data: readFileSync(full), mode };
}

export async function packCharm(options: PackOptions): Promise<PackResult> {
  const root = resolve(options.root);
  const project = readProject(root);
  const arch = options.arch ?? hostJujuArch();
  const platform = project.platforms.find((p) => p === arch);
  if (!platform) {
    throw new Error(
      `charmcraft.yaml has no platform ${arch} (platforms: ${project.platforms.join(", ")})`,
    );
  }
  const now = options.now ?? new Date();
  let node: NodeRuntime;
  if (options.node === "current") {
    node = currentNode(arch);
  } else {
    if (!project.nodeVersion) {
      throw new Error("charmcraft.yaml names no npm-node-version to ship; use --node=current");
    }
    node = await registryNode(
      project.nodeVersion,
      arch,
      options.cacheDir ?? join(root, "build", "node-cache"),
    );
  }

  const manifest = manifestYaml(project.base, arch, now);
  const entries: ZipEntry[] = [
    fileEntry(root, "metadata.yaml", 0o644),
    ...["actions.yaml", "config.yaml"]
      .filter((f) => existsSync(join(root, f)))
      .map((f) => fileEntry(root, f, 0o644)),
    { name: "manifest.yaml", data: Buffer.from(manifest), mode: 0o644 },
    fileEntry(root, "dispatch", 0o755),
    fileEntry(root, "dist/charm.mjs", 0o755),
    ...bundleChunks(root).map((chunk) => fileEntry(root, chunk, 0o644)),
    { name: "bin/node", data: readFileSync(node.path), mode: 0o755 },
  ];

  const outDir = resolve(options.outDir ?? join(root, "build"));
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, charmFileName(project, platform));
  // A half-written .charm must never sit where a deploy would pick it up.
  const tmp = `${path}.${process.pid}.tmp`;
  const bytes = await writeZip(tmp, entries, now);
  renameSync(tmp, path);
  return {
    path,
    bytes,
    base: project.base,
    arch,
    node,
    entries: entries.map((e) => ({ name: e.name, mode: e.mode, size: e.data.length })),
    manifest,
  };
}

/** The chunks the entrypoint loads on demand (dist/chunks/*.mjs), sorted for a stable zip. */
function bundleChunks(root: string): string[] {
  const dir = join(root, "dist", "chunks");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".mjs"))
    .sort()
    .map((name) => `dist/chunks/${name}`);
}
