// Installs the hook tools the way jujud does: one client program and, per tool name, a symlink
// to it in a tools directory that goes first on the hook's PATH.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TOOLS } from "./hook-tool/run.ts";
import { bundleOptions } from "../../scripts/bundle-options.mjs";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const HOOK_TOOL_BUNDLE = join(REPO_ROOT, "build/hook-tool.mjs");
const SOURCES = dirname(fileURLToPath(import.meta.url));

const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "fixtures")
      newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * `npm run build` makes the bundle; tests run straight from source would otherwise spawn a stale
 * or missing one, so rebuild it here when any simulator source is newer.
 */
export async function ensureHookToolBundle(): Promise<string> {
  const built = existsSync(HOOK_TOOL_BUNDLE) ? statSync(HOOK_TOOL_BUNDLE).mtimeMs : 0;
  if (built >= newestSource(SOURCES)) return HOOK_TOOL_BUNDLE;
  const { build } = await import("esbuild");
  const tmp = `${HOOK_TOOL_BUNDLE}.${process.pid}.tmp`;
  mkdirSync(dirname(HOOK_TOOL_BUNDLE), { recursive: true });
  await build({
    entryPoints: [join(SOURCES, "hook-tool/main.ts")],
    outfile: tmp,
    ...bundleOptions,
  });
  renameSync(tmp, HOOK_TOOL_BUNDLE);
  return HOOK_TOOL_BUNDLE;
}

/** Writes <simDir>/jujuc and <simDir>/tools/<tool> symlinks; returns the tools dir. */
export function installTools(simDir: string, bundle: string): string {
  const client = join(simDir, "jujuc");
  writeFileSync(
    client,
    `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(bundle)} "$(basename "$0")" "$@"\n`,
    { mode: 0o755 },
  );
  const toolsDir = join(simDir, "tools");
  mkdirSync(toolsDir, { recursive: true });
  for (const name of Object.keys(TOOLS)) {
    const link = join(toolsDir, name);
    if (!existsSync(link)) symlinkSync(client, link);
  }
  return toolsDir;
}
