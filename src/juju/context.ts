import type { Action } from "./action.ts";
import type { ActionEvent, JujuEvent, RelationHookKind, UnitHookName } from "./event.ts";
import type { Logger } from "./logger.ts";
import type { Model } from "./model.ts";

/** What a handler is given for one dispatch: the event, the model it may read and write, the log. */
export interface HookContext<E extends JujuEvent = JujuEvent> {
  readonly event: E;
  readonly model: Model;
  readonly log: Logger;
}

export interface ActionContext extends HookContext<ActionEvent> {
  readonly action: Action;
}

export type HookHandler = (context: HookContext) => void | Promise<void>;
export type ActionHandler = (context: ActionContext) => void | Promise<void>;
export type HookName = UnitHookName | `${string}-relation-${RelationHookKind}`;
