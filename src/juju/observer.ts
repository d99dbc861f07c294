import type { HookContext } from "./context.ts";
import type { ToolRunner } from "./hook-tools.ts";

/** One hook-tool call: which tool, how it ended and when. Never its arguments, input or output. */
export interface ToolCallRecord {
  readonly tool: string;
  /** null when the tool could not be run or was killed by a signal. */
  readonly exitCode: number | null;
  readonly startMs: number;
  readonly endMs: number;
}

/** What one dispatch did, in wall-clock milliseconds since the epoch (fractions kept). */
export interface DispatchRecord {
  readonly startMs: number;
  /** When the record was taken, after the outcome. */
  readonly endMs: number;
  /** From just before the handler ran to the end of its commit; absent when none ran. */
  readonly handler: { readonly startMs: number; readonly endMs: number } | undefined;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly exitCode: number;
  /** The message of a hook that threw or of an action that failed. */
  readonly failure: string | undefined;
}

/**
 * Watches one dispatch for the router: every hook-tool call, the handler's start, a failure,
 * and the end. `finished` runs after the dispatch's outcome is settled and may call hook tools;
 * it must not throw, and nothing it does changes the exit code.
 */
export interface DispatchObserver {
  wrap(runner: ToolRunner): ToolRunner;
  handlerStarted(): void;
  failed(message: string): void;
  finished(context: HookContext, exitCode: number): Promise<void>;
}

/** What to do with a dispatch's record once it is complete; the recorder catches what it throws. */
export type RecordConsumer = (context: HookContext, record: () => DispatchRecord) => Promise<void>;

/**
 * Records a dispatch in memory and hands the record to `consume` at the end. Recording costs a
 * clock read per tool call; whatever `consume` does, including throwing, leaves the dispatch's
 * outcome as it was: a consumer error goes to `onError`.
 */
export class DispatchRecorder implements DispatchObserver {
  private readonly clock = wallClock();
  private readonly startMs = this.clock();
  private readonly calls: ToolCallRecord[] = [];
  private handlerStartMs: number | undefined;
  private failure: string | undefined;

  constructor(
    private readonly consume: RecordConsumer,
    private readonly onError: (context: HookContext, error: unknown) => void,
  ) {}

  wrap(runner: ToolRunner): ToolRunner {
    return (tool, args, stdin) => {
      const startMs = this.clock();
      const output = runner(tool, args, stdin);
      this.calls.push({ tool, exitCode: output.exitCode, startMs, endMs: this.clock() });
      return output;
    };
  }

  handlerStarted(): void {
    this.handlerStartMs = this.clock();
  }

  failed(message: string): void {
    this.failure = message;
  }

  async finished(context: HookContext, exitCode: number): Promise<void> {
    const outcomeMs = this.clock();
    const handlerStartMs = this.handlerStartMs;
    // Taken when the consumer asks: its own tool calls are part of what the dispatch cost.
    const record = (): DispatchRecord => ({
      startMs: this.startMs,
      endMs: this.clock(),
      handler:
        handlerStartMs === undefined ? undefined : { startMs: handlerStartMs, endMs: outcomeMs },
      toolCalls: [...this.calls],
      exitCode,
      failure: this.failure,
    });
    try {
      await this.consume(context, record);
    } catch (error) {
      try {
        this.onError(context, error);
      } catch {
        // The dispatch is over and its outcome is settled; nothing is left to tell it to.
      }
    }
  }
}

function wallClock(): () => number {
  const epochMs = Date.now();
  const origin = process.hrtime.bigint();
  return () => epochMs + Number(process.hrtime.bigint() - origin) / 1e6;
}
