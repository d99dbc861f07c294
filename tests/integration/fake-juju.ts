// Puts the stand-in `juju` of fake-juju-main.ts on a PATH of its own, installed the way the
// real one is: under a `snap/bin` directory when it plays the strictly confined snap.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { bundleOptions } from "../../scripts/bundle-options.mjs";
import { REPO_ROOT } from "../simulator/tools-install.ts";

export interface FakeJujuConfig {
  /** Behave as the strictly confined snap: no /tmp of the caller's, no hidden path in $HOME. */
  readonly snap: boolean;
  readonly home: string;
  /** `model-type` in `juju show-model`: "iaas" for machines, "caas" for Kubernetes. */
  readonly modelType: "iaas" | "caas";
  /** One argv per line, as JSON. */
  readonly log: string;
  /** The answers to successive `juju status --format=json` calls; the last one repeats. */
  readonly statuses: readonly unknown[];
  /** The charm's actions.yaml, whose schemas `juju run` validates params against. */
  readonly actionsYaml: string;
}

export interface FakeJuju {
  /** The environment to run the driver's `juju` with: the fake first on PATH, HOME its own. */
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** A directory outside the home, where the caller's own temporary files go. */
  readonly outside: string;
  /** Every argv the fake was run with, in order. */
  calls(): string[][];
  setStatuses(statuses: readonly unknown[]): void;
  remove(): void;
}

const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
const MAIN = join(dirname(fileURLToPath(import.meta.url)), "fake-juju-main.ts");

let bundled: Promise<string> | undefined;

/** One bundle of the fake per test process, in a directory removed when the process exits. */
function bundleFake(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "fake-juju-bundle-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, "fake-juju.mjs");
    await build({ entryPoints: [MAIN], outfile, ...bundleOptions });
    return outfile;
  })();
  return bundled;
}

export async function installFakeJuju(
  options: Pick<FakeJujuConfig, "snap" | "modelType">,
): Promise<FakeJuju> {
  const root = mkdtempSync(join(tmpdir(), "fake-juju-"));
  const home = join(root, "home", "ubuntu");
  const outside = join(root, "tmp");
  // jubilant's snap test is a "/snap/" in the path of the juju found on PATH.
  const binDir = join(root, options.snap ? "snap/bin" : "usr/bin");
  for (const dir of [home, outside, binDir]) mkdirSync(dir, { recursive: true });

  const bundle = await bundleFake();
  const configFile = join(root, "config.json");
  let config: FakeJujuConfig = {
    ...options,
    home,
    log: join(root, "calls.jsonl"),
    statuses: [],
    actionsYaml: join(REPO_ROOT, "actions.yaml"),
  };
  const save = (): void => writeFileSync(configFile, JSON.stringify(config));
  save();
  writeFileSync(config.log, "");
  writeFileSync(
    join(binDir, "juju"),
    `#!/bin/sh\nFAKE_JUJU_CONFIG=${shQuote(configFile)} exec ${shQuote(process.execPath)} ${shQuote(bundle)} "$@"\n`,
    { mode: 0o755 },
  );

  return {
    env: { ...process.env, PATH: `${binDir}:/usr/bin:/bin`, HOME: home },
    home,
    outside,
    calls: () =>
      readFileSync(config.log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as string[]),
    setStatuses(statuses) {
      config = { ...config, statuses };
      save();
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
