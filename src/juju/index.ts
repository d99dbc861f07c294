export {
  Action,
  ActionFailure,
  MAX_RESULT_VALUE_BYTES,
  checkResultKey,
  type ResultValue,
} from "./action.ts";
export {
  CharmState,
  CharmStateLimitError,
  MAX_STATE_KEY_BYTES,
  MAX_STATE_VALUE_BYTES,
} from "./charm-state.ts";
export { Databag } from "./databag.ts";
export * from "./errors.ts";
export * from "./event.ts";
export {
  HookTools,
  spawnTool,
  type ToolRunner,
  type ToolOutput,
  type WorkloadStatus,
} from "./hook-tools.ts";
export { Logger } from "./logger.ts";
export {
  DispatchRecorder,
  type DispatchObserver,
  type DispatchRecord,
  type ToolCallRecord,
} from "./observer.ts";
export { processOutput, type Output } from "./output.ts";
export { ConfigError, Model, type Status } from "./model.ts";
export { Relation } from "./relation.ts";
export { tuneForShortLivedProcess } from "./short-lived.ts";
export { validate, type StandardSchema, type Validation } from "./schema.ts";
export type {
  ActionContext,
  ActionHandler,
  HookContext,
  HookHandler,
  HookName,
} from "./context.ts";
export { EventRouter, type DispatchOptions } from "./router.ts";
