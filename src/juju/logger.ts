import type { HookTools, LogLevel } from "./hook-tools.ts";

interface Line {
  readonly level: LogLevel;
  readonly message: string;
}

export interface LoggerOptions {
  /**
   * Where debug lines go instead of juju-log. Juju logs a hook's stdout at DEBUG, so in hooks
   * debug lines go there and cost no agent round trip. An action's stdout is shown to the
   * operator by `juju run`, so actions use juju-log.
   */
  readonly debugLines?: (line: string) => void;
}

/**
 * Lines go to juju-log when the dispatch ends, consecutive lines of one level in one call, so a
 * chatty hook does not pay one agent round trip per line.
 */
export class Logger {
  private readonly lines: Line[] = [];

  constructor(
    private readonly tools: HookTools,
    private readonly options: LoggerOptions = {},
  ) {}

  debug(message: string): void {
    if (this.options.debugLines) this.options.debugLines(`${message}\n`);
    else this.lines.push({ level: "DEBUG", message });
  }

  info(message: string): void {
    this.lines.push({ level: "INFO", message });
  }

  warning(message: string): void {
    this.lines.push({ level: "WARNING", message });
  }

  error(message: string): void {
    this.lines.push({ level: "ERROR", message });
  }

  /**
   * Sends every line to juju-log. Once juju-log fails, this and the remaining lines go to
   * `fallback` (one `LEVEL message` line each) so that none is lost, and the failure is thrown.
   */
  flush(fallback?: (text: string) => void): void {
    let failure: { error: unknown } | undefined;
    while (this.lines.length > 0) {
      const level = this.lines[0]?.level ?? "INFO";
      let count = 0;
      while (this.lines[count]?.level === level) count++;
      const batch = this.lines.splice(0, count);
      if (failure === undefined) {
        try {
          this.tools.jujuLog(level, batch.map((line) => line.message).join("\n"));
          continue;
        } catch (error) {
          failure = { error };
        }
      }
      fallback?.(batch.map((line) => `${level} ${line.message}\n`).join(""));
    }
    if (failure !== undefined) throw failure.error;
  }
}
