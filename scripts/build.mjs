// Bundles the charm so it runs with no node_modules beside it: dist/charm.mjs is the entrypoint
// dispatch runs, and dist/chunks/ holds what handlers load on first use, so a hook only reads
// the code it needs. Also bundles the requirer test charm, which runs as a separate process (the
// simulator compiles its own hook-tool client, tests/simulator/tools-install.ts).
import { build } from "esbuild";
import { chmod, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { bundleOptions as shared } from "./bundle-options.mjs";

await rm("dist", { recursive: true, force: true });
await build({
  ...shared,
  entryPoints: { charm: "src/main.ts" },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
});
await chmod("dist/charm.mjs", 0o755);

const fixtures = [
  { entry: "tests/charms/requirer/src/main.ts", outfile: "tests/charms/requirer/dist/charm.mjs" },
];
for (const { entry, outfile } of fixtures) {
  if (!existsSync(entry)) continue;
  await build({ ...shared, entryPoints: [entry], outfile });
  await chmod(outfile, 0o755);
}
