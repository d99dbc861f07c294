// The PATH a hook gets and the charm directory it runs in, as on a Juju machine: no Node.js
// anywhere on PATH, so a charm must bring its own runtime (bin/node) as a packed charm does.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The PATH systemd gives jujud on Ubuntu; the agent passes it on to hooks after the tools dir. */
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** What an Ubuntu machine without a Node.js package lacks. */
export const NODE_PROGRAMS = ["node", "nodejs", "npm", "npx", "corepack"];

function holdsNode(dir: string): boolean {
  return NODE_PROGRAMS.some((name) => existsSync(join(dir, name)));
}

/**
 * A copy of dir made of symlinks to everything in it except Node.js, built once per machine (and
 * again when dir changes), so the hook finds every system program but no node.
 */
function shadow(dir: string): string {
  const real = realpathSync(dir);
  const root = join(tmpdir(), `juju-sim-agent-path-${process.getuid?.() ?? 0}`);
  const target = join(root, `${real.replaceAll("/", "_")}-${Math.floor(statSync(real).mtimeMs)}`);
  if (existsSync(target)) return target;
  mkdirSync(root, { recursive: true });
  const building = `${target}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building);
  for (const name of readdirSync(real)) {
    if (!NODE_PROGRAMS.includes(name)) symlinkSync(join(real, name), join(building, name));
  }
  try {
    renameSync(building, target);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another process built it first
  }
  return target;
}

let cached: string | undefined;

/** The agent's PATH: the system directories, with any that hold Node.js replaced by a shadow. */
export function agentPath(): string {
  cached ??= SYSTEM_PATH.split(":")
    .map((dir) => (existsSync(dir) && holdsNode(dir) ? shadow(dir) : dir))
    .join(":");
  return cached;
}

/**
 * Where the unit agent unpacks the charm: each unit has its own, as Juju's
 * /var/lib/juju/agents/unit-<app>-<n>/charm (internal/worker/uniter/paths.go), here
 * <simDir>/agents/unit-<app>-<n>/charm. Each entry is a link into the charm's source directory,
 * and bin/node a link to the Node.js running the simulator unless the charm ships one (a packed
 * charm does). What a unit writes there is its own.
 */
export function deployCharmDir(simDir: string, unit: string, sourceDir: string): string {
  const dir = join(simDir, "agents", `unit-${unit.replace("/", "-")}`, "charm");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  refreshCharmDir(dir, sourceDir);
  return dir;
}

/** Mirrors the source's entries as links again, so what a test adds or removes there shows. */
export function refreshCharmDir(dir: string, sourceDir: string): void {
  mirror(sourceDir, dir, ["bin"]);
  const sourceBin = join(sourceDir, "bin");
  const hasBin = existsSync(sourceBin) && statSync(sourceBin).isDirectory();
  mirror(hasBin ? sourceBin : null, join(dir, "bin"), ["node"]);
  const shipped = hasBin && existsSync(join(sourceBin, "node"));
  const node = join(dir, "bin", "node");
  rmSync(node, { force: true });
  symlinkSync(shipped ? join(sourceBin, "node") : process.execPath, node);
}

function mirror(source: string | null, target: string, except: string[]): void {
  const wanted = source === null ? [] : readdirSync(source).filter((n) => !except.includes(n));
  for (const name of readdirSync(target)) {
    // Only our links go: what the charm wrote in its charm dir stays, as it does under Juju.
    const path = join(target, name);
    if (!except.includes(name) && !wanted.includes(name) && isLink(path)) rmSync(path);
  }
  for (const name of wanted) {
    if (!existsSync(join(target, name)) && !isLink(join(target, name))) {
      symlinkSync(join(source!, name), join(target, name));
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
