// What the Node runtime we ship must be, byte for byte: for each node-linux-<arch>@<version>
// package, the npm registry's integrity of its tarball (as `npm view <pkg> dist.integrity` gave
// it when the pin was added) and the sha256 of the bin/node inside that tarball. The registry
// never serves other bytes under a published name and version, so a mismatch means tampering,
// a broken download or a cache that is not ours. See docs/packaging.md.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";

export const NODE_PINS_FILE = new URL("./node-integrity.json", import.meta.url);

const Pin = z.object({
  integrity: z.string().regex(/^sha512-[A-Za-z0-9+/]{86}==$/),
  binNodeSha256: z.string().regex(/^[0-9a-f]{64}$/),
});
const Pins = z.record(z.string(), Pin);

export type NodePin = z.infer<typeof Pin>;
export type NodePins = Readonly<Record<string, NodePin>>;

export function loadNodePins(): NodePins {
  const parsed = Pins.safeParse(JSON.parse(readFileSync(NODE_PINS_FILE, "utf8")));
  if (!parsed.success) {
    throw new Error(`${NODE_PINS_FILE.pathname} is malformed:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function pinFor(pins: NodePins, pkg: string): NodePin {
  const pin = pins[pkg];
  if (!pin) {
    throw new Error(
      `no pinned integrity for ${pkg} in ${NODE_PINS_FILE.pathname}: the pack ships only a ` +
        `runtime it can check. Add its tarball integrity (npm view ${pkg} dist.integrity) and ` +
        `the sha256 of its bin/node once you trust them, or pack with --node=current.`,
    );
  }
  return pin;
}

/** The npm registry's form of a tarball's integrity (Subresource Integrity, sha512). */
export function tarballIntegrity(tarball: Buffer): string {
  return `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
}

export function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
