// Bundles the charm into one file that runs with no node_modules beside it, and the test
// fixtures that run as separate processes (the simulator's hook tool, the requirer test charm).
import { build } from "esbuild";
import { chmod } from "node:fs/promises";
import { existsSync } from "node:fs";

const shared = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};

const bundles = [
  { entry: "src/main.ts", outfile: "dist/charm.mjs" },
  { entry: "tests/simulator/hook-tool/main.ts", outfile: "build/hook-tool.mjs" },
  { entry: "tests/charms/requirer/src/main.ts", outfile: "tests/charms/requirer/dist/charm.mjs" },
];

for (const { entry, outfile } of bundles) {
  if (!existsSync(entry)) continue;
  await build({ ...shared, entryPoints: [entry], outfile });
  await chmod(outfile, 0o755);
}
