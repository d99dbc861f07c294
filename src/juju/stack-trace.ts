// Node keeps 10 frames by default; a charm that raises Error.stackTraceLimit must not flood the
// log, and juju-log splits anything past one argv element into several lines.
const MAX_FRAMES = 40;
const MAX_FRAME_CHARS = 300;

/**
 * The call frames of an error's stack, without its message: the message is logged on its own
 * line, and it may quote input, so it must not be logged twice. Frames hold only function names
 * and source positions.
 */
export function stackFrames(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== "string") return undefined;
  const frames = error.stack
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .map((line) => {
      const frame = line.trim();
      return frame.length > MAX_FRAME_CHARS ? `${frame.slice(0, MAX_FRAME_CHARS)}…` : frame;
    });
  if (frames.length === 0) return undefined;
  const kept = frames.slice(0, MAX_FRAMES);
  if (frames.length > kept.length) kept.push(`… ${frames.length - kept.length} more frames`);
  return `stack trace:\n  ${kept.join("\n  ")}`;
}
