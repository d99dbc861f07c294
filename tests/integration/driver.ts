// What the integration scenarios need from a Juju model, so that the same scenarios run on the
// simulator in `npm test` and on a real controller in `npm run test:integration`.

export interface Status {
  readonly status: string;
  readonly message: string;
}

export interface ActionOutcome {
  readonly status: "completed" | "failed";
  readonly message?: string;
  readonly results: Record<string, unknown>;
}

/** The requirer's settings, named once here; each driver maps them to its requirer charm's keys. */
export interface RequirerConfig {
  readonly mode?: "unit" | "app";
}

export interface DeployOptions {
  readonly units?: number;
}

/** How long to keep asking for a state that arrives asynchronously on a real controller. */
export interface Patience {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

export interface Driver {
  /** Shown in test names and failure messages. */
  readonly name: string;
  readonly patience: Patience;
  deployOperator(app: string, options?: DeployOptions): Promise<void>;
  deployRequirer(app: string, options?: DeployOptions & { config?: RequirerConfig }): Promise<void>;
  /** `juju integrate provider:certificates requirer:certificates`. */
  integrate(provider: string, requirer: string): Promise<void>;
  /** Until every agent is idle and no hook is left to run. */
  settle(): Promise<void>;
  config(app: string, config: RequirerConfig): Promise<void>;
  addUnits(app: string, count: number): Promise<string[]>;
  removeUnit(unit: string): Promise<void>;
  /** Unit names of app, in numeric order. */
  units(app: string): Promise<string[]>;
  leader(app: string): Promise<string>;
  unitStatus(unit: string): Promise<Status>;
  /** `juju run unit action k=v ...`; a failed action is returned, not thrown. */
  runAction(unit: string, action: string, params?: Record<string, unknown>): Promise<ActionOutcome>;
  /** The provider application's databag in its relation with requirer, as the requirer sees it. */
  providerAppData(provider: string, requirer: string): Promise<Record<string, string>>;
  /** Removes everything the driver made. */
  destroy(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Calls probe until it returns a value instead of throwing, within patience; then rethrows the
 * last failure. With a timeout of 0 (the simulator, where state is settled when a call returns)
 * it asks once.
 */
export async function eventually<T>(patience: Patience, probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + patience.timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() + patience.intervalMs > deadline) throw error;
      await sleep(patience.intervalMs);
    }
  }
}
