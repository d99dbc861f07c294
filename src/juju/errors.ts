/** A hook tool exited non-zero: Juju refused the call, or the agent is unreachable. */
export class HookToolError extends Error {
  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${tool} failed (exit ${exitCode ?? "signal"}): ${stderr.trim() || "no error text"}`);
    this.name = "HookToolError";
  }
}

/** A hook tool answered with output we could not read: a runtime bug or an agent we do not know. */
export class HookToolOutputError extends Error {
  constructor(tool: string, detail: string) {
    super(`${tool} printed output that does not match what Juju prints: ${detail}`);
    this.name = "HookToolOutputError";
  }
}

/** The charm asked for something Juju forbids; raised before any hook tool runs. */
export class ModelAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelAccessError";
  }
}

/** The environment Juju gave this process is not one the runtime understands. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentError";
  }
}

/** An action result key that Juju's action-set would refuse. */
export class ActionResultKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionResultKeyError";
  }
}
