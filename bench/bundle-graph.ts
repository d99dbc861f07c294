// Which modules the charm evaluates at start-up. esbuild (bundling without code splitting, as
// scripts/build.mjs does) evaluates every module reachable from the entry through static imports
// when the bundle starts, and a module reached only through `import()` when that import runs.
// So the static closure of src/main.ts is what every hook pays for, whatever it does.
import { build, type Metafile } from "esbuild";
import { CHARM_DIR } from "./model.ts";

export interface BundleGraph {
  /** Inputs evaluated when the bundle starts, for every hook. */
  readonly eager: ReadonlySet<string>;
  /** Inputs evaluated only after a dynamic import() runs. */
  readonly lazy: ReadonlySet<string>;
  /** Bytes each input contributes to the bundle. */
  readonly bytes: ReadonlyMap<string, number>;
}

export async function charmBundleGraph(entry = "src/main.ts"): Promise<BundleGraph> {
  const result = await build({
    absWorkingDir: CHARM_DIR,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // As scripts/bundle-options.mjs: ES module builds first, so the sizes are those of dist/.
    mainFields: ["module", "main"],
    write: false,
    metafile: true,
    outfile: "out.mjs",
    logLevel: "silent",
  });
  return graphOf(result.metafile, entry);
}

function graphOf(metafile: Metafile, entry: string): BundleGraph {
  const reach = (kinds: ReadonlySet<string>): Set<string> => {
    const seen = new Set<string>([entry]);
    const queue = [entry];
    for (let input = queue.pop(); input !== undefined; input = queue.pop()) {
      for (const imported of metafile.inputs[input]?.imports ?? []) {
        if (!kinds.has(imported.kind) || imported.external || seen.has(imported.path)) continue;
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
    return seen;
  };
  const eager = reach(new Set(["import-statement", "require-call"]));
  const all = reach(new Set(["import-statement", "require-call", "dynamic-import"]));
  const lazy = new Set([...all].filter((input) => !eager.has(input)));
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      bytes.set(input, bytesInOutput);
    }
  }
  return { eager, lazy, bytes };
}

export const isAsn1Library = (input: string): boolean => input.includes("node_modules/@peculiar/");

/** The tracing relation's code and the OpenTelemetry SDK: loaded only by a traced dispatch. */
export const isTracingCode = (input: string): boolean =>
  input.includes("node_modules/@opentelemetry/") ||
  input.startsWith("src/tracing/") ||
  input === "src/charm/tracing-relation.ts" ||
  input === "src/interface/tracing.ts";
