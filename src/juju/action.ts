import { ActionResultKeyError } from "./errors.ts";
import type { HookTools } from "./hook-tools.ts";
import { validate, type StandardSchema } from "./schema.ts";

/** Thrown by an action handler to fail the action with a message meant for the operator. */
export class ActionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionFailure";
  }
}

// Juju's action-set checks every dotted segment with this rule, and refuses these segments.
const RESULT_KEY_SEGMENT = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED_RESULT_KEYS = new Set(["stdout", "stdout-encoding", "stderr", "stderr-encoding"]);
// One argv element may not exceed 128 KiB on Linux; leave room for the key.
const MAX_RESULT_ARGUMENT_BYTES = 128 * 1024 - 1024;
/** The most one result value can hold: action-set takes each as one argv element. */
export const MAX_RESULT_VALUE_BYTES = MAX_RESULT_ARGUMENT_BYTES;

export type ResultValue = string | number | boolean | { readonly [key: string]: ResultValue };

/** The running action: its params, results, failure and progress log. */
export class Action {
  private failedWith: string | undefined;

  constructor(
    readonly name: string,
    readonly id: string,
    private readonly tools: HookTools,
  ) {}

  /** Reads the params once and checks them; a problem fails the action naming the param. */
  params<T>(schema: StandardSchema<T>): T {
    const result = validate(schema, this.tools.actionGet());
    if (result.ok) return result.value;
    throw new ActionFailure(`invalid parameters: ${result.problems.join("; ")}`);
  }

  /** Nested objects become dotted keys, as `juju run` shows them. */
  setResults(results: Readonly<Record<string, ResultValue>>): void {
    const flat: Record<string, string> = {};
    flatten(results, [], flat);
    this.tools.actionSet(flat);
  }

  log(message: string): void {
    this.tools.actionLog(message);
  }

  fail(message: string): void {
    this.failedWith = message;
    this.tools.actionFail(message);
  }

  get failed(): boolean {
    return this.failedWith !== undefined;
  }

  /** The message the action failed with, if it did. */
  get failure(): string | undefined {
    return this.failedWith;
  }
}

function flatten(
  value: Readonly<Record<string, ResultValue>>,
  prefix: string[],
  into: Record<string, string>,
): void {
  for (const [key, child] of Object.entries(value)) {
    checkResultKey(key);
    const path = [...prefix, key];
    if (typeof child === "object") {
      flatten(child, path, into);
      continue;
    }
    const text = String(child);
    if (Buffer.byteLength(text) > MAX_RESULT_ARGUMENT_BYTES) {
      throw new ActionFailure(
        `the result ${path.join(".")} is ${Math.ceil(Buffer.byteLength(text) / 1024)} KiB, ` +
          `more than the ${MAX_RESULT_ARGUMENT_BYTES / 1024} KiB Juju can pass in one result; ` +
          `narrow the request (for example with relation-id)`,
      );
    }
    into[path.join(".")] = text;
  }
}

export function checkResultKey(key: string): void {
  if (!RESULT_KEY_SEGMENT.test(key)) {
    throw new ActionResultKeyError(
      `result key "${key}" must start and end with a lowercase letter or digit and hold only ` +
        `lowercase letters, digits and hyphens`,
    );
  }
  if (RESERVED_RESULT_KEYS.has(key)) {
    throw new ActionResultKeyError(`result key "${key}" is reserved by Juju`);
  }
}
