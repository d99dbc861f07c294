// What a test reads of a simulated model: statuses, logs, databags, leadership, the hook log and
// the virtual clock, each read fresh from the model's state file.
import { getApp, getRelation, getUnit, unitCharmDir } from "./model.ts";
import { readState, type HookLogEntry, type LogLine, type State, type Status } from "./state.ts";

export class ModelView {
  constructor(protected readonly modelDir: string) {}

  get dir(): string {
    return this.modelDir;
  }

  state(): State {
    return readState(this.modelDir);
  }

  /** The directory the unit's hooks run in, as CHARM_DIR tells them: each unit has its own. */
  charmDir(unit: string): string {
    return unitCharmDir(this.state(), unit);
  }

  /** The unit that holds the application's lease, or null while nobody does. */
  leader(app: string): string | null {
    return getApp(this.state(), app).leader;
  }

  /** The virtual time (ms) at which the unit's failed hook is retried by itself, if it will be. */
  nextRetryAt(unit: string): number | null {
    const state = this.state();
    const record = getUnit(state, unit);
    return state.automaticallyRetryHooks && record.failedHook ? (record.retry?.at ?? null) : null;
  }

  /** The model's virtual clock, in ms. */
  get clock(): number {
    return this.state().clock;
  }

  /** Every hook and action run so far, in order (skipped hooks of a charm without dispatch excluded). */
  hookLog(): HookLogEntry[] {
    return this.state().hookLog;
  }

  unitStatus(unit: string): Status {
    return getUnit(this.state(), unit).workload;
  }

  /** Every workload status the unit had, in order, the agent's own included; kept after removal. */
  statusHistory(unit: string): Status[] {
    const state = this.state();
    const removed = state.removedUnits[unit];
    return removed ?? getUnit(state, unit).history;
  }

  agentStatus(unit: string): Status {
    return getUnit(this.state(), unit).agent;
  }

  appStatus(app: string): Status {
    return getApp(this.state(), app).status;
  }

  logs(unit: string): LogLine[] {
    return getUnit(this.state(), unit).logs;
  }

  /** The committed databag of a unit ("app/0") or an application ("app"). */
  relationData(relationId: number, unitOrApp: string): Record<string, string> {
    const relation = getRelation(this.state(), relationId);
    const bags = unitOrApp.includes("/") ? relation.unitData : relation.appData;
    return { ...bags[unitOrApp] };
  }
}
