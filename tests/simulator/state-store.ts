// The model's state, in <simDir>/state.json, held in memory by the process that drives the model.
// The hook tools reach the agent over its socket, served in that same process: a tool call
// changes the held state and leaves the file for the next change made outside a tool call (a
// hook's commit, a step of the simulator, a test), which writes it through. Writing, renaming
// and locking the file on every tool call cost the agent more than the charm's own work per
// hook. Other processes read and change the file too (the CLI, one command a process, and the
// docs tests' juju stand-in): a held copy is dropped when the file changed under it. It imports
// no schema, so reading it costs no zod.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { State } from "./state.ts";

export type StateParser = (raw: unknown) => State;

/** The simulator wrote this itself, so the tools trust its shape. */
const trusted: StateParser = (raw) => raw as State;

const statePath = (dir: string): string => join(dir, "state.json");

interface Held {
  /** The live state: changed in place by updateState, copied for every readState. */
  state: State;
  /** Changed by a tool call since it was last written to the file. */
  dirty: boolean;
  /** The file as last read or written here: another process changed it if it differs. */
  stamp: string | undefined;
  /** What the file holds: a change that changed nothing is not written again. */
  text: string;
}

const held = new Map<string, Held>();

function fileStamp(dir: string): string | undefined {
  const info = statSync(statePath(dir), { throwIfNoEntry: false, bigint: true });
  return info === undefined ? undefined : `${info.ino}:${info.mtimeNs}:${info.size}`;
}

function heldState(dir: string, parse: StateParser): Held {
  let entry = held.get(dir);
  if (entry !== undefined && !entry.dirty && fileStamp(dir) !== entry.stamp) entry = undefined;
  if (entry === undefined) {
    const text = readFileSync(statePath(dir), "utf8");
    entry = { state: parse(JSON.parse(text)), dirty: false, stamp: fileStamp(dir), text };
    held.set(dir, entry);
  }
  return entry;
}

function write(dir: string, entry: Held): void {
  const text = JSON.stringify(entry.state);
  entry.dirty = false;
  if (text === entry.text) return;
  mkdirSync(dir, { recursive: true });
  const tmp = `${statePath(dir)}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, statePath(dir));
  entry.text = text;
  entry.stamp = fileStamp(dir);
}

/** A copy of the state, the caller's to keep or change: later changes do not reach it. */
export function readState(dir: string, parse: StateParser = trusted): State {
  return JSON.parse(JSON.stringify(heldState(dir, parse).state)) as State;
}

export function writeState(dir: string, state: State): void {
  const copy = JSON.parse(JSON.stringify(state)) as State;
  const entry: Held = { state: copy, dirty: true, stamp: undefined, text: "" };
  held.set(dir, entry);
  write(dir, entry);
}

/**
 * Changes the state in place and writes the file; fn's return value is passed through. It runs
 * to the end before anything else in this process, so no lock is needed. What fn returns is
 * live: a caller keeps plain values from it, not parts of the state.
 */
export function updateState<T>(
  dir: string,
  fn: (state: State) => T,
  parse: StateParser = trusted,
): T {
  const entry = heldState(dir, parse);
  const result = fn(entry.state);
  write(dir, entry);
  return result;
}

/**
 * As updateState for a hook-tool call, but the file is written by the next change made outside
 * one: a hook makes tens of calls, and the process that could read the file in between is this one.
 */
export function updateStateInCall<T>(dir: string, fn: (state: State) => T): T {
  const entry = heldState(dir, trusted);
  const result = fn(entry.state);
  entry.dirty = true;
  return result;
}
