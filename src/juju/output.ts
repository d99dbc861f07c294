import type * as Fs from "node:fs";
import { createRequire } from "node:module";

// Required, not imported: Node wraps an imported built-in in an ES module namespace of all its
// exports, which for node:fs costs more than the write itself.
const { writeSync } = createRequire(import.meta.url)("node:fs") as typeof Fs;

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
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
};

function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  } catch (error) {
    // EAGAIN: a non-blocking descriptor is full, and the stream waits for it. Anything else
    // (EPIPE: nobody reads any more) loses a log line, which must not fail the hook.
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") {
      (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(offset));
    }
  }
}
