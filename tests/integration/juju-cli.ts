// The `juju` command line as the integration driver runs it: the binary found on PATH, run with
// an environment the caller chooses, so that a test can put a fake `juju` first on PATH without
// touching this process's globals.
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
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

export class JujuCli {
  private constructor(
    /** Where `juju` was found on PATH. */
    readonly binary: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The `juju` on the PATH of options.env, or undefined when there is none. */
  static locate(options: JujuCliOptions = {}): JujuCli | undefined {
    const env = options.env ?? process.env;
    const binary = findOnPath("juju", env["PATH"] ?? "");
    return binary === undefined ? undefined : new JujuCli(binary, env);
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
