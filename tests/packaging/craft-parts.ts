// The build and prime steps of one craft-parts part with the npm plugin, run the way craft-parts
// 2.x runs them, without craft-parts. Each piece names the upstream file it follows
// (github.com/canonical/craft-parts, craft_parts/...).
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

/** The work tree of one part: dirs.py (parts/, stage/, prime/) and parts.py (parts/<name>/*). */
export interface PartDirs {
  readonly work: string;
  readonly src: string;
  readonly build: string;
  readonly install: string;
  readonly run: string;
  readonly stage: string;
  readonly prime: string;
}

export function partDirs(work: string, part: string): PartDirs {
  const dir = join(work, "parts", part);
  const dirs = {
    work,
    src: join(dir, "src"),
    build: join(dir, "build"),
    install: join(dir, "install"),
    run: join(dir, "run"),
    stage: join(work, "stage"),
    prime: join(work, "prime"),
  };
  for (const path of Object.values(dirs)) mkdirSync(path, { recursive: true });
  return dirs;
}

/**
 * The build step's environment script, as executor/environment.py generate_step_environment
 * writes it: the CRAFT_* variables, then the plugin's get_build_environment() (npm_plugin.py:
 * NODE_ENV=production and, with npm-include-node, ${CRAFT_PART_INSTALL}/bin first on PATH).
 * The part's own bin dirs join PATH only if they exist when the step starts; in a clean build
 * they do not. charmcraft's application-level build environment is left out: it sets no PATH.
 */
export function buildEnvironment(dirs: PartDirs, part: string, project: string): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string] ?? process.arch;
  const craft: Record<string, string> = {
    CRAFT_ARCH_BUILD_ON: arch,
    CRAFT_ARCH_BUILD_FOR: arch,
    CRAFT_PARALLEL_BUILD_COUNT: "1",
    CRAFT_PROJECT_DIR: dirs.src,
    CRAFT_STAGE: dirs.stage,
    CRAFT_PRIME: dirs.prime,
    CRAFT_PROJECT_NAME: project,
    CRAFT_PART_NAME: part,
    CRAFT_STEP_NAME: "BUILD",
    CRAFT_PART_SRC: dirs.src,
    CRAFT_PART_SRC_WORK: dirs.src,
    CRAFT_PART_BUILD: dirs.build,
    CRAFT_PART_BUILD_WORK: dirs.build,
    CRAFT_PART_INSTALL: dirs.install,
  };
  const plugin = { NODE_ENV: "production", PATH: "${CRAFT_PART_INSTALL}/bin:${PATH}" };
  return [
    "# Environment",
    "## Part environment",
    ...Object.entries(craft).map(([k, v]) => `export ${k}="${v}"`),
    "## Plugin environment",
    ...Object.entries(plugin).map(([k, v]) => `export ${k}="${v}"`),
    "## User environment",
    "",
  ].join("\n");
}

/**
 * A step script as executor/step_handler.py _create_and_run_script writes it: bash, errexit,
 * nounset and pipefail, the environment sourced, then xtrace and the commands.
 */
export function stepScript(environmentScript: string, commands: readonly string[]): string {
  return [
    "#!/bin/bash",
    "set -euo pipefail",
    `source ${environmentScript}`,
    "set -x",
    ...commands,
    "",
  ].join("\n");
}

/**
 * What npm_plugin.py get_build_commands() runs with npm-include-node: unpack the Node release
 * into $CRAFT_PART_INSTALL (bin/node, bin/npm -> ../lib/node_modules/npm/bin/npm-cli.js, ...),
 * then, with npm >= 10, `npm install -g --prefix "${CRAFT_PART_INSTALL}" --install-links "${PWD}"`
 * from the part's build dir. The download from nodejs.org and its SHASUMS256 check are replaced
 * by a copy of the Node running the tests and of its npm, laid out as the release tarball is.
 */
export function npmPluginBuildCommands(node: string, npmPackageDir: string): string[] {
  return [
    'mkdir -p "${CRAFT_PART_INSTALL}/bin" "${CRAFT_PART_INSTALL}/lib/node_modules"',
    `cp "${node}" "\${CRAFT_PART_INSTALL}/bin/node"`,
    `cp -R "${npmPackageDir}" "\${CRAFT_PART_INSTALL}/lib/node_modules/npm"`,
    'ln -s ../lib/node_modules/npm/bin/npm-cli.js "${CRAFT_PART_INSTALL}/bin/npm"',
    'npm install -g --prefix "${CRAFT_PART_INSTALL}" --install-links "${PWD}"',
  ];
}

/** The npm package dir of the npm on PATH (the one the tests run with). */
export function currentNpmPackageDir(): string {
  const cli = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
  if (!cli) throw new Error("no npm on PATH to lay out as the Node release's npm");
  return dirname(dirname(realpathSync(cli)));
}

/** A directory of links to just these host tools, to use as a PATH with no node or npm in it. */
export function toolsDir(dir: string, tools: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of tools) {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout;
    if (!found.trim()) throw new Error(`${tool} is not on this machine's PATH`);
    symlinkSync(realpathSync(found.trim()), join(dir, tool));
  }
  return dir;
}

export interface BuildRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Runs override-build as part_handler.py _run_build and step_handler.py run_scriptlet do: the
 * build dir is a fresh copy of the source, the scriptlet runs there under stepScript(), and
 * `craftctl default` runs the plugin's build commands as the built-in handler does
 * (_builtin_build: environment.sh and build.sh in the part's run dir, cwd the build dir, the
 * environment of the craft-parts process rather than the scriptlet's).
 */
export async function runOverrideBuild(options: {
  readonly dirs: PartDirs;
  readonly part: string;
  readonly project: string;
  readonly overrideBuild: string;
  readonly pluginCommands: readonly string[];
  /** The environment of the craft-parts process; its PATH must hold craftctl. */
  readonly env: Readonly<Record<string, string>>;
  /** Where to write the craftctl stand-in (a dir on env.PATH). */
  readonly craftctlDir: string;
  readonly timeoutMs: number;
}): Promise<BuildRun> {
  const { dirs, env } = options;
  const environment = buildEnvironment(dirs, options.part, options.project);
  const environmentScript = join(dirs.run, "environment.sh");
  writeFileSync(environmentScript, environment, { mode: 0o644 });
  const buildScript = join(dirs.run, "build.sh");
  writeFileSync(buildScript, stepScript(environmentScript, options.pluginCommands), {
    mode: 0o755,
  });

  const envArgs = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(" ");
  // craftctl is a client of the craft-parts process: `default` makes that process run the
  // built-in handler, with its own environment, and answers when it is done.
  writeFileSync(
    join(options.craftctlDir, "craftctl"),
    [
      "#!/bin/bash",
      'if [ "$#" -ne 1 ] || [ "$1" != default ]; then',
      '  echo "craftctl stand-in: only craftctl default is emulated, not: $*" >&2',
      "  exit 2",
      "fi",
      `cd ${shellQuote(dirs.build)}`,
      `exec env -i ${envArgs} ${shellQuote(buildScript)}`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );

  const scriptletEnvironment = join(dirs.run, "scriptlet_environment.sh");
  writeFileSync(
    scriptletEnvironment,
    `export PARTS_CTL_SOCKET=${join(dirs.run, "craftctl.socket")}\n${environment}`,
    { mode: 0o644 },
  );
  const scriptlet = join(dirs.run, "scriptlet.sh");
  writeFileSync(scriptlet, stepScript(scriptletEnvironment, [options.overrideBuild]), {
    mode: 0o755,
  });
  // Its own process group, so that a timeout ends npm and everything it started too.
  const child = spawn(scriptlet, [], {
    cwd: dirs.build,
    env: { ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => process.kill(-(child.pid ?? 0), "SIGKILL"), options.timeoutMs);
  return await new Promise<BuildRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, output });
    });
  });
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The files the prime step takes from the part's install dir, by executor/filesets.py
 * migratable_filesets: an entry names a file, or a directory and everything under it; "-"
 * entries exclude. A named path that does not exist makes migration fail (migration.py
 * migrate_files copies it without missing_ok). Globs are not emulated and say so.
 */
export function primedFiles(install: string, entries: readonly string[]): string[] {
  const includes = entries.filter((e) => !e.startsWith("-"));
  const excludes = entries.filter((e) => e.startsWith("-")).map((e) => e.slice(1));
  for (const entry of [...includes, ...excludes]) {
    if (entry.includes("*")) throw new Error(`prime entry ${entry}: globs are not emulated`);
  }
  const files = new Set<string>();
  for (const entry of includes.length > 0 ? includes : ["."]) {
    const path = join(install, entry);
    if (!existsSync(path) && !isSymlink(path)) {
      throw new Error(`prime: ${entry} is not in the part's install dir`);
    }
    for (const file of walk(path)) files.add(relative(install, file));
  }
  return [...files]
    .filter((file) => !excludes.some((e) => file === e || file.startsWith(`${e}/`)))
    .sort();
}

/** Copies files from the install dir to the prime dir keeping modes (a hard link would too). */
export function prime(install: string, primeDir: string, files: readonly string[]): void {
  for (const file of files) {
    const target = join(primeDir, file);
    mkdirSync(dirname(target), { recursive: true });
    if (isSymlink(join(install, file))) {
      throw new Error(`prime: ${file} is a symlink; compare its target instead`);
    }
    copyFileSync(join(install, file), target);
    chmodSync(target, lstatSync(join(install, file)).mode & 0o7777);
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function* walk(path: string): Generator<string> {
  const stat = lstatSync(path);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* walk(join(path, name));
  } else {
    yield path;
  }
}
