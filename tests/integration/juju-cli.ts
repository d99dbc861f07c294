// The `juju` command line as the integration driver runs it: the binary found on PATH, run with
// an environment the caller chooses, so that a test can put a fake `juju` first on PATH without
// touching this process's globals.
//
// The usual install is the strictly confined snap, which has a /tmp of its own and may read
// only non-hidden files under $HOME. Files juju must read (a charm, a params file) therefore go
// to a per-run directory under ~/snap/juju/common, as Canonical's jubilant does
// (jubilant/_juju.py: _juju_is_snap, _temp_dir, _deploy_tempdir).
import { execFile } from "node:child_process";
import {
  accessSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export interface JujuCliOptions {
  /** The environment `juju` runs with and whose PATH is searched; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** stdout and stderr of a `juju` run that exited 0. */
export interface JujuOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** A `juju` run that exited non-zero; stdout kept, since a failed action still prints its outcome. */
export class JujuCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`juju ${args.join(" ")} failed: ${stderr.trim()}`);
  }
}

function findOnPath(name: string, path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here: keep looking, as the shell does
    }
  }
  return undefined;
}

/** jubilant's test: "/snap/" in the path of the juju found on PATH (/snap/bin/juju is a link
 * to /usr/bin/snap, so the path as found counts), or in the file it resolves to. */
function isSnapPath(binary: string): boolean {
  let resolved = binary;
  try {
    resolved = realpathSync(binary);
  } catch {
    // a dangling link: judge by the path alone
  }
  return [binary, resolved].some((path) => path.includes("/snap/"));
}

/** A directory of files for juju to read, removed with everything in it by remove(). */
export class Scratch {
  constructor(readonly dir: string) {}

  /** Writes text to a new file here and returns its path. */
  write(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** Copies a file here under its own name and returns the copy's path. */
  copy(path: string): string {
    const copy = join(this.dir, basename(path));
    copyFileSync(path, copy);
    return copy;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class JujuCli {
  private constructor(
    /** Where `juju` was found on PATH. */
    readonly binary: string,
    readonly env: NodeJS.ProcessEnv,
    /** Strictly confined: sees neither our /tmp nor hidden paths in $HOME. */
    readonly isSnap: boolean,
  ) {}

  /** The `juju` on the PATH of options.env, or undefined when there is none. */
  static locate(options: JujuCliOptions = {}): JujuCli | undefined {
    const env = options.env ?? process.env;
    const binary = findOnPath("juju", env["PATH"] ?? "");
    return binary === undefined ? undefined : new JujuCli(binary, env, isSnapPath(binary));
  }

  /** A new directory whose files this juju can read: under ~/snap/juju/common for the snap. */
  scratch(): Scratch {
    if (!this.isSnap) return new Scratch(mkdtempSync(join(tmpdir(), "juju-driver-")));
    const common = join(this.env["HOME"] || homedir(), "snap", "juju", "common");
    mkdirSync(common, { recursive: true });
    return new Scratch(mkdtempSync(join(common, "tls-it-")));
  }

  /** Runs `juju args...`; throws JujuCommandError on a non-zero exit. */
  async run(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<JujuOutput> {
    try {
      const { stdout, stderr } = await exec(this.binary, args, {
        env: this.env,
        maxBuffer: 64 * 1024 * 1024,
        ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
      });
      return { stdout, stderr };
    } catch (error) {
      const field = (name: string): string =>
        String((error as Record<string, unknown>)[name] ?? "");
      throw new JujuCommandError(args, field("stdout"), field("stderr") || String(error));
    }
  }
}

/** Why the real-controller suite cannot run here, or undefined when it can. */
export async function controllerUnavailable(): Promise<string | undefined> {
  const needs = "the real-controller suite needs a bootstrapped controller; skipped";
  const cli = JujuCli.locate();
  if (cli === undefined) return `juju not found on PATH: ${needs}`;
  try {
    await cli.run(["whoami"], { timeoutMs: 30_000 });
  } catch (error) {
    const stderr = error instanceof JujuCommandError ? error.stderr.trim() : String(error);
    return `juju whoami failed (${stderr.split("\n")[0] ?? "no output"}): ${needs}`;
  }
  return undefined;
}
