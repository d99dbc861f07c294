// What the unit agent keeps of a hook's stdout and stderr. Juju reads each pipe with
// bufio.NewReaderSize(r, 4096).ReadLine (internal/worker/common/charmrunner/logger.go, HookLogger):
// a line comes without its "\n" (or "\r\n"); a line longer than the buffer comes in 4096-byte
// pieces marked isPrefix. Each piece is logged as one message, and for an action runner.go's
// bufferAdaptor appends "\n" to every piece that ends a line. runCharmProcessOnLocal
// (internal/worker/uniter/runner/runner.go) keeps its own end of the pipe open until after
// HookLogger.Stop, so ReadLine never sees EOF: a last line without "\n" is never delivered.

const BUFFER_SIZE = 4096;

export interface OutputPiece {
  bytes: Buffer;
  /** True when the piece is not the end of its line (ReadLine's isPrefix). */
  isPrefix: boolean;
}

export function readLines(output: Buffer): OutputPiece[] {
  const pieces: OutputPiece[] = [];
  let pos = 0;
  while (pos < output.length) {
    const window = output.subarray(pos, pos + BUFFER_SIZE);
    const newline = window.indexOf(0x0a);
    if (newline >= 0) {
      const end = newline > 0 && window[newline - 1] === 0x0d ? newline - 1 : newline;
      pieces.push({ bytes: window.subarray(0, end), isPrefix: false });
      pos += newline + 1;
    } else if (window.length === BUFFER_SIZE) {
      // A full buffer without "\n": ReadLine hands it out whole, holding back a final "\r"
      // in case "\r\n" straddles the boundary.
      const held = window[BUFFER_SIZE - 1] === 0x0d ? 1 : 0;
      pieces.push({ bytes: window.subarray(0, BUFFER_SIZE - held), isPrefix: true });
      pos += BUFFER_SIZE - held;
    } else {
      break; // an unterminated last line: still buffered when the logger is stopped
    }
  }
  return pieces;
}

/** The unit log messages of one stream, one per piece. */
export function logMessages(output: Buffer, level: string): { level: string; message: string }[] {
  return readLines(output).map((piece) => ({ level, message: piece.bytes.toString("utf8") }));
}

/** What an action's stdout/stderr result holds: bufferAdaptor's copy of the pieces. */
export function actionCapture(output: Buffer): string {
  return Buffer.concat(
    readLines(output).flatMap((piece) =>
      piece.isPrefix ? [piece.bytes] : [piece.bytes, Buffer.from("\n")],
    ),
  ).toString("utf8");
}
