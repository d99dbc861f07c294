// The scenarios' driver over the simulator: this charm from the repository, and the requirer
// test charm in tests/charms/requirer standing in for Charmhub's tls-certificates-requirer.
import { CHARM_DIR, REQUIRER_DIR } from "../e2e/harness.ts";
import { Simulator } from "../simulator/index.ts";
import type { ActionOutcome, DeployOptions, Driver, RequirerConfig, Status } from "./driver.ts";

/** Our requirer's config keys for the shared settings. */
function requirerConfig(config: RequirerConfig): Record<string, unknown> {
  return config.mode === undefined ? {} : { mode: config.mode };
}

export class SimulatorDriver implements Driver {
  readonly name = "simulator";
  // Every call returns with the model settled, so there is nothing to wait for.
  readonly patience = { timeoutMs: 0, intervalMs: 0 };

  private constructor(
    private readonly sim: Simulator,
    private readonly charmDir: string,
  ) {}

  /** charmDir: the operator charm to deploy; default the repository (built with npm run build). */
  static async create(charmDir: string = CHARM_DIR): Promise<SimulatorDriver> {
    return new SimulatorDriver(await Simulator.create(), charmDir);
  }

  async deployOperator(app: string, options: DeployOptions = {}): Promise<void> {
    await this.sim.deploy(app, this.charmDir, { units: options.units ?? 1 });
  }

  async deployRequirer(
    app: string,
    options: DeployOptions & { config?: RequirerConfig } = {},
  ): Promise<void> {
    await this.sim.deploy(app, REQUIRER_DIR, {
      units: options.units ?? 1,
      config: requirerConfig(options.config ?? {}),
    });
  }

  async integrate(provider: string, requirer: string): Promise<void> {
    await this.sim.integrate(`${provider}:certificates`, `${requirer}:certificates`);
  }

  async settle(): Promise<void> {
    await this.sim.settle();
  }

  async config(app: string, config: RequirerConfig): Promise<void> {
    await this.sim.config(app, requirerConfig(config));
  }

  async addUnits(app: string, count: number): Promise<string[]> {
    const added: string[] = [];
    for (let i = 0; i < count; i++) added.push(await this.sim.addUnit(app));
    return added;
  }

  async removeUnit(unit: string): Promise<void> {
    await this.sim.removeUnit(unit);
  }

  async units(app: string): Promise<string[]> {
    return Object.values(this.sim.state().units)
      .filter((u) => u.app === app && !u.dying)
      .map((u) => u.name)
      .sort((a, b) => Number(a.split("/")[1]) - Number(b.split("/")[1]));
  }

  async leader(app: string): Promise<string> {
    const leader = this.sim.state().applications[app]?.leader;
    if (!leader) throw new Error(`${app} has no leader`);
    return leader;
  }

  async unitStatus(unit: string): Promise<Status> {
    const { status, message } = this.sim.unitStatus(unit);
    return { status, message };
  }

  async runAction(
    unit: string,
    action: string,
    params: Record<string, unknown> = {},
  ): Promise<ActionOutcome> {
    const run = await this.sim.runAction(unit, action, params);
    return {
      status: run.status,
      ...(run.message === undefined ? {} : { message: run.message }),
      results: run.results,
    };
  }

  async providerAppData(provider: string, requirer: string): Promise<Record<string, string>> {
    const relation = this.sim
      .state()
      .relations.find(
        (r) => r.ends.some((e) => e.app === provider) && r.ends.some((e) => e.app === requirer),
      );
    if (!relation) throw new Error(`${provider} and ${requirer} are not related`);
    return this.sim.relationData(relation.id, provider);
  }

  async destroy(): Promise<void> {
    // The model lives in a temp dir the OS cleans; nothing runs in the background.
  }
}
