import type * as Fs from "node:fs";
import { requireBuiltin } from "./builtin.ts";

const { writeSync } = requireBuiltin<typeof Fs>("node:fs");

/** Where a dispatch writes outside the hook tools: Juju logs a hook's stdout and stderr. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The process's own stdout and stderr, written with `writeSync`: touching `process.stdout`
 * builds a stream over the pipe Juju gives the hook and loads the modules behind it, which
 * costs a hook with nothing else to do 2 ms.
 */
export const processOutput: Output = {
  stdout: (text) => writeFully(1, text),
  stderr: (text) => writeFully(2, text),
};

/** `fs.writeSync` for a byte range: returns how many bytes it wrote, throws an errno error. */
export type WriteSync = (fd: number, bytes: Uint8Array, offset: number) => number;

const RETRY_AFTER_MS = 1;
const GIVE_UP_AFTER_MS = 10_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd` or, when the reader is gone, drops it; never throws. */
export function writeFully(fd: number, text: string, write: WriteSync = writeSync): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  let waitedMs = 0;
  while (offset < bytes.length) {
    try {
      offset += write(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Once anything in the process has touched process.stdout, the pipe is non-blocking:
      // wait for the reader as a blocking write would, so that lines keep their order.
      if ((code === "EAGAIN" || code === "EINTR") && waitedMs < GIVE_UP_AFTER_MS) {
        Atomics.wait(pause, 0, 0, RETRY_AFTER_MS);
        waitedMs += RETRY_AFTER_MS;
        continue;
      }
      // EPIPE (nobody reads any more) or a reader that stopped: a lost log line must not fail
      // the hook.
      return;
    }
  }
}
