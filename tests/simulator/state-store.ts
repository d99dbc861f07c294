// Reading and writing <simDir>/state.json under a lock directory. It imports no schema, so the
// hook-tool processes, which run once per tool call, do not pay for loading zod.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { State } from "./state.ts";

export type StateParser = (raw: unknown) => State;

/** The simulator wrote this file itself, so the tools trust its shape. */
const trusted: StateParser = (raw) => raw as State;

const statePath = (dir: string): string => join(dir, "state.json");

export function readState(dir: string, parse: StateParser = trusted): State {
  return parse(JSON.parse(readFileSync(statePath(dir), "utf8")));
}

export function writeState(dir: string, state: State): void {
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 1));
  renameSync(tmp, statePath(dir));
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function acquire(lock: string): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A holder that died leaves the lock behind; a lock older than the deadline is stale.
      const info = statSync(lock, { throwIfNoEntry: false });
      const stale = info !== undefined && Date.now() - info.mtimeMs > 10_000;
      if (stale || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }
}

/** Read, change and write the state under the lock; fn's return value is passed through. */
export function updateState<T>(
  dir: string,
  fn: (state: State) => T,
  parse: StateParser = trusted,
): T {
  const lock = join(dir, "state.lock");
  acquire(lock);
  try {
    const state = readState(dir, parse);
    const result = fn(state);
    writeState(dir, state);
    return result;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
