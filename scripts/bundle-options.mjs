// The esbuild options every bundle of this project shares: the charm (scripts/build.mjs), the
// simulator's hook tool (rebuilt by tests when stale) and the bench's runners. One ES module
// that runs on Node with no node_modules beside it; `require` is given for bundled CommonJS.
export const bundleOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  // A package's ES module build before its CommonJS one: esbuild can drop what is not imported
  // only from ES modules. OpenTelemetry's tracing chunk is 118 KiB so instead of 650 KiB.
  mainFields: ["module", "main"],
  logLevel: "warning",
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
};
