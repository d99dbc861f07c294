import { Action, ActionFailure } from "./action.ts";
import type { ActionHandler, HookContext, HookHandler, HookName } from "./context.ts";
import {
  eventFromEnvironment,
  type ActionEvent,
  type JujuEvent,
  type RelationHookKind,
} from "./event.ts";
import { HookTools, spawnTool, type ToolRunner } from "./hook-tools.ts";
import { Logger } from "./logger.ts";
import { Model } from "./model.ts";
import type { DispatchObserver } from "./observer.ts";
import { processOutput, type Output } from "./output.ts";
import { stackFrames } from "./stack-trace.ts";

export interface RouterOptions {
  readonly peerEndpoints?: readonly string[];
  /** Where debug lines of hooks and the runtime's own errors go; the process's by default. */
  readonly output?: Output;
}

export interface DispatchOptions {
  /**
   * Runs once a handler is found, just before it: process-wide set-up that a dispatch with
   * nothing to do should not pay for.
   */
  readonly beforeHandler?: () => void;
  /** Sees every hook-tool call and the outcome; it cannot change the exit code. */
  readonly observer?: DispatchObserver;
}

/**
 * The charm's table of observed events. `dispatch` reads the event from the environment, runs
 * its handler and applies the error policy: a hook that throws exits 1 (Juju retries it and
 * drops its relation writes); an action never exits non-zero, it fails with a message.
 */
export class EventRouter {
  private readonly hooks = new Map<string, HookHandler>();
  private readonly actions = new Map<string, ActionHandler>();

  constructor(private readonly options: RouterOptions = {}) {}

  observe(hook: HookName, handler: HookHandler): this {
    this.hooks.set(hook, handler);
    return this;
  }

  observeRelation(
    endpoint: string,
    kinds: readonly RelationHookKind[],
    handler: HookHandler,
  ): this {
    for (const kind of kinds) this.observe(`${endpoint}-relation-${kind}`, handler);
    return this;
  }

  observeAction(name: string, handler: ActionHandler): this {
    this.actions.set(name, handler);
    return this;
  }

  /** The actions with a handler, to check them against actions.yaml. */
  get actionNames(): string[] {
    return [...this.actions.keys()];
  }

  /** Runs one dispatch and returns the process exit code. */
  async dispatch(
    env: NodeJS.ProcessEnv = process.env,
    runner: ToolRunner = spawnTool,
    options: DispatchOptions = {},
  ): Promise<number> {
    let event: JujuEvent;
    try {
      event = eventFromEnvironment(env);
    } catch (error) {
      this.output.stderr(`ERROR ${describe(error)}\n`);
      return 1;
    }
    const tools = new HookTools(options.observer?.wrap(runner) ?? runner);
    const model = new Model(tools, {
      unitName: event.unitName,
      peerEndpoints: this.options.peerEndpoints ?? [],
      ...(event.kind === "relation"
        ? { hookRelation: { id: event.relationId, remoteApp: event.remoteApp } }
        : {}),
    });
    const output = this.output;
    const log = new Logger(
      tools,
      event.kind === "action" ? {} : { debugLines: (line) => output.stdout(line) },
    );
    const exitCode =
      event.kind === "action"
        ? await this.runAction({ event, model, log }, tools, options)
        : await this.runHook({ event, model, log }, options);
    await options.observer?.finished({ event, model, log }, exitCode);
    return exitCode;
  }

  private async runHook(context: HookContext, options: DispatchOptions): Promise<number> {
    const handler = this.hooks.get(context.event.name);
    if (!handler) {
      context.log.debug(`no handler for ${context.event.name}; nothing to do`);
      return this.flushLog(context.log, 0);
    }
    options.beforeHandler?.();
    options.observer?.handlerStarted();
    try {
      await handler(context);
      context.model.commit();
      return this.flushLog(context.log, 0);
    } catch (error) {
      logFailure(context.log, context.event.name, error);
      options.observer?.failed(describe(error));
      return this.flushLog(context.log, 1);
    }
  }

  private async runAction(
    context: HookContext<ActionEvent>,
    tools: HookTools,
    options: DispatchOptions,
  ): Promise<number> {
    const action = new Action(context.event.name, context.event.actionId, tools);
    const handler = this.actions.get(context.event.name);
    try {
      if (!handler) throw new ActionFailure(`this charm has no action ${context.event.name}`);
      options.beforeHandler?.();
      options.observer?.handlerStarted();
      await handler({ ...context, action });
      if (!action.failed) context.model.commit();
    } catch (error) {
      try {
        if (error instanceof ActionFailure) {
          action.fail(error.message);
        } else {
          logFailure(context.log, `action ${context.event.name}`, error);
          action.fail(`unexpected error: ${describe(error)} (details in juju debug-log)`);
        }
      } catch (failError) {
        this.output.stderr(`ERROR cannot fail the action: ${describe(failError)}\n`);
        return this.flushLog(context.log, 1);
      }
    }
    if (action.failure !== undefined) options.observer?.failed(action.failure);
    return this.flushLog(context.log, 0);
  }

  private get output(): Output {
    return this.options.output ?? processOutput;
  }

  private flushLog(log: Logger, exitCode: number): number {
    try {
      // Lines juju-log would not take go to stderr, which Juju logs at WARNING.
      log.flush((text) => this.output.stderr(text));
      return exitCode;
    } catch (error) {
      this.output.stderr(`ERROR cannot write to the Juju log: ${describe(error)}\n`);
      return exitCode === 0 ? 1 : exitCode;
    }
  }
}

/**
 * The error and where it came from, both at ERROR: Juju logs a hook's stdout at DEBUG, which a
 * model's default logging-config (<root>=INFO) hides from `juju debug-log`.
 */
function logFailure(log: Logger, what: string, error: unknown): void {
  log.error(`${what} failed: ${describe(error)}`);
  const trace = stackFrames(error);
  if (trace !== undefined) log.error(trace);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
