// `npm run pack`: a deployable .charm without charmcraft or LXD. See docs/packaging.md.
//
//   npm run pack                      this machine's architecture, Node from the npm registry, checked against scripts/pack/node-integrity.json
//   npm run pack -- --arch=arm64      another platform of charmcraft.yaml
//   npm run pack -- --node=current    ship the Node running this script instead (no download)
//   npm run pack -- --out=DIR         write the .charm to DIR (default build/)
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { packCharm } from "./pack/charm.ts";
import { isArch } from "./pack/node-runtime.ts";

const usage =
  "usage: npm run pack -- [--arch=amd64|arm64] [--node=registry|current] [--out=DIR] [--cache=DIR]";

function fail(message: string): never {
  console.error(`pack: ${message}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        arch: { type: "string" },
        node: { type: "string", default: "registry" },
        out: { type: "string" },
        cache: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`);
  }
})();

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.arch !== undefined && !isArch(values.arch))
  fail(`unknown --arch ${values.arch}\n${usage}`);
if (values.node !== "registry" && values.node !== "current") {
  fail(`--node must be registry or current, not ${values.node}\n${usage}`);
}

const started = performance.now();
try {
  const result = await packCharm({
    root: process.cwd(),
    ...(values.arch !== undefined && isArch(values.arch) ? { arch: values.arch } : {}),
    node: values.node,
    ...(values.out !== undefined ? { outDir: values.out } : {}),
    ...(values.cache !== undefined ? { cacheDir: values.cache } : {}),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const mb = (result.bytes / 1024 / 1024).toFixed(1);
  console.log(`Packed ${relative(process.cwd(), result.path)} (${mb} MiB, ${seconds} s)`);
  console.log(
    `  ${result.base} ${result.arch}, Node ${result.node.version} from ${result.node.source}`,
  );
  for (const entry of result.entries) {
    console.log(
      `  ${entry.mode.toString(8).padStart(4, "0")} ${String(entry.size).padStart(10)} ${entry.name}`,
    );
  }
} catch (error) {
  fail((error as Error).message);
}
