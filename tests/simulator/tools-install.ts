// Installs the hook tools the way jujud does: one client program and, per tool name, a symlink
// to it in a tools directory that goes first on the hook's PATH.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TOOLS } from "./hook-tool/run.ts";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const JUJUC_BINARY = join(REPO_ROOT, "build/jujuc");
const JUJUC_SOURCE = join(dirname(fileURLToPath(import.meta.url)), "hook-tool/jujuc.c");

/** Compiles hook-tool/jujuc.c to build/jujuc unless the binary is newer than its source. */
export function ensureJujuc(): string {
  const built = existsSync(JUJUC_BINARY) ? statSync(JUJUC_BINARY).mtimeMs : 0;
  if (built >= statSync(JUJUC_SOURCE).mtimeMs) return JUJUC_BINARY;
  mkdirSync(dirname(JUJUC_BINARY), { recursive: true });
  const tmp = `${JUJUC_BINARY}.${process.pid}.tmp`;
  const compiler = process.env["CC"] ?? "cc";
  try {
    execFileSync(
      compiler,
      ["-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-o", tmp, JUJUC_SOURCE],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  } catch (error) {
    throw new Error(
      `cannot compile the simulator's hook-tool client with ${compiler} ` +
        `(install a C compiler, e.g. apt-get install gcc): ${String(error)}`,
    );
  }
  renameSync(tmp, JUJUC_BINARY);
  return JUJUC_BINARY;
}

/** Writes <simDir>/tools/<tool> symlinks to jujuc; returns the tools dir. */
export function installTools(simDir: string, jujuc: string): string {
  const toolsDir = join(simDir, "tools");
  mkdirSync(toolsDir, { recursive: true });
  for (const name of Object.keys(TOOLS)) {
    const link = join(toolsDir, name);
    if (!existsSync(link)) symlinkSync(jujuc, link);
  }
  return toolsDir;
}
