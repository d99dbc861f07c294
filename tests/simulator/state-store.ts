// The model's state: held in memory by the process that drives the model, and kept in
// <simDir>/state.json for the next process (the CLI runs one command a process). The hook tools
// reach the agent over its socket, which is served in that same process, so a tool call touches
// no file: writing, renaming and locking the file on every call cost more than the charm's own
// work per hook. It imports no schema, so reading it costs no zod.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { State } from "./state.ts";

export type StateParser = (raw: unknown) => State;

/** The simulator wrote this itself, so the tools trust its shape. */
const trusted: StateParser = (raw) => raw as State;

const statePath = (dir: string): string => join(dir, "state.json");

interface Held {
  /** The live state: changed in place by updateState, copied for every readState. */
  state: State;
  /** Changed since it was last written to the file. */
  dirty: boolean;
}

const held = new Map<string, Held>();

function heldState(dir: string, parse: StateParser): Held {
  let entry = held.get(dir);
  if (entry === undefined) {
    entry = { state: parse(JSON.parse(readFileSync(statePath(dir), "utf8"))), dirty: false };
    held.set(dir, entry);
  }
  return entry;
}

let flushOnExit = false;

function markDirty(entry: Held): void {
  entry.dirty = true;
  if (!flushOnExit) {
    flushOnExit = true;
    process.once("exit", () => {
      for (const model of held.keys()) flushState(model);
    });
  }
}

/** A copy of the state, the caller's to keep or change: later changes do not reach it. */
export function readState(dir: string, parse: StateParser = trusted): State {
  return JSON.parse(JSON.stringify(heldState(dir, parse).state)) as State;
}

export function writeState(dir: string, state: State): void {
  const entry: Held = { state: JSON.parse(JSON.stringify(state)) as State, dirty: false };
  held.set(dir, entry);
  markDirty(entry);
}

/** Writes the model's file if it changed since it was last written (atomically, by rename). */
export function flushState(dir: string): void {
  const entry = held.get(dir);
  if (entry === undefined || !entry.dirty) return;
  mkdirSync(dir, { recursive: true });
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry.state, null, 1));
  renameSync(tmp, statePath(dir));
  entry.dirty = false;
}

/**
 * Changes the state in place; fn's return value is passed through. One process drives a model
 * at a time, and this runs to the end before anything else in it, so no lock is needed. What fn
 * returns is live: a caller keeps plain values from it, not parts of the state.
 */
export function updateState<T>(
  dir: string,
  fn: (state: State) => T,
  parse: StateParser = trusted,
): T {
  const entry = heldState(dir, parse);
  const result = fn(entry.state);
  markDirty(entry);
  return result;
}
