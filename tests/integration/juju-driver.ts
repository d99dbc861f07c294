// The scenarios' driver over the `juju` CLI (Juju 3.6): a fresh temporary model on the current
// controller (machines or Kubernetes: the model type comes from `juju show-model`), this charm
// packed by scripts/pack.ts (or TLS_OPERATOR_CHARM), and Charmhub's tls-certificates-requirer
// from channel stable. Every read is `--format=json`.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { escapeForYamlV2 } from "../../src/juju/settings-yaml.ts";
import { packCharm } from "../../scripts/pack/charm.ts";
import { hostJujuArch, isArch } from "../../scripts/pack/node-runtime.ts";
import { CHARM_DIR } from "../e2e/harness.ts";
import type {
  ActionOutcome,
  DeployOptions,
  Driver,
  Patience,
  RequirerConfig,
  Status,
} from "./driver.ts";
import { JujuCli, JujuCommandError, type JujuOutput, type Scratch } from "./juju-cli.ts";
import {
  ActionJson,
  activity,
  ShowModelJson,
  ShowUnitJson,
  statusError,
  StatusJson,
  type ModelType,
  type UnitJson,
} from "./juju-json.ts";

export const REQUIRER_CHARM = "tls-certificates-requirer";
export const REQUIRER_CHANNEL = "stable";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const unitNumber = (unit: string): number => Number(unit.slice(unit.lastIndexOf("/") + 1));
const appOf = (unit: string): string => unit.slice(0, unit.lastIndexOf("/"));

export interface JujuDriverOptions {
  /** A .charm to deploy; default: pack one now with scripts/pack.ts. */
  readonly charm?: string;
  /** The cloud to add the model on (`juju add-model <name> <cloud>`); default the controller's. */
  readonly cloud?: string;
  /** Keep the model afterwards, for debugging. */
  readonly keepModel?: boolean;
  /** How long settle() waits for the model to go idle. */
  readonly settleTimeoutMs?: number;
  /** How often the driver asks `juju status` again while it waits; default 5 s. */
  readonly pollMs?: number;
  /** The `juju` to run; default the one on PATH. */
  readonly cli?: JujuCli;
}

export class JujuDriver implements Driver {
  readonly name = "juju";
  readonly patience: Patience = { timeoutMs: 5 * 60_000, intervalMs: 5_000 };

  private constructor(
    private readonly cli: JujuCli,
    private readonly model: string,
    readonly modelType: ModelType,
    /** The charm where this juju can read it. */
    private readonly charm: string,
    private readonly scratch: Scratch,
    private readonly options: JujuDriverOptions,
  ) {}

  /** Adds a model named tls-it-<random> on the current controller. */
  static async create(options: JujuDriverOptions = {}): Promise<JujuDriver> {
    const envArch = process.env["TLS_OPERATOR_ARCH"];
    const arch = envArch !== undefined && isArch(envArch) ? envArch : hostJujuArch();
    const charm =
      options.charm ??
      process.env["TLS_OPERATOR_CHARM"] ??
      (await packCharm({ root: CHARM_DIR, arch })).path;
    const cli = options.cli ?? JujuCli.locate();
    if (cli === undefined) throw new Error("juju not found on PATH");
    const cloud = options.cloud ?? process.env["TLS_IT_CLOUD"];
    const model = `tls-it-${randomBytes(3).toString("hex")}`;
    const scratch = cli.scratch();
    try {
      // The snap cannot read a charm in /tmp, in a hidden directory or outside $HOME.
      const readable = cli.isSnap ? scratch.copy(resolve(charm)) : resolve(charm);
      await cli.run(["add-model", model, ...(cloud ? [cloud] : [])]);
      const shown = ShowModelJson.parse(
        JSON.parse((await cli.run(["show-model", model, "--format=json"])).stdout),
      );
      const [info] = Object.values(shown);
      if (!info) throw new Error(`juju show-model ${model} printed no model`);
      const driver = new JujuDriver(cli, model, info["model-type"], readable, scratch, {
        keepModel: process.env["TLS_IT_KEEP_MODEL"] === "1",
        ...options,
      });
      // Status is refreshed on update-status too; a minute keeps the wait short without making
      // the model so busy that it never looks idle.
      await driver.juju("model-config", "update-status-hook-interval=1m");
      return driver;
    } catch (error) {
      scratch.remove();
      throw error;
    }
  }

  private async juju(...args: string[]): Promise<string> {
    return (await this.cli.run([...args, "-m", this.model])).stdout;
  }

  private async status(): Promise<StatusJson> {
    return StatusJson.parse(JSON.parse(await this.juju("status", "--format=json")));
  }

  private async unitsJson(app: string): Promise<Record<string, UnitJson>> {
    return (await this.status()).applications?.[app]?.units ?? {};
  }

  async deployOperator(app: string, options: DeployOptions = {}): Promise<void> {
    await this.juju(
      "deploy",
      this.charm,
      app,
      "--base",
      "ubuntu@24.04",
      "-n",
      String(options.units ?? 1),
    );
  }

  async deployRequirer(
    app: string,
    options: DeployOptions & { config?: RequirerConfig } = {},
  ): Promise<void> {
    const config = Object.entries(requirerConfig(options.config ?? {})).flatMap(([k, v]) => [
      "--config",
      `${k}=${v}`,
    ]);
    await this.juju(
      "deploy",
      REQUIRER_CHARM,
      app,
      "--channel",
      REQUIRER_CHANNEL,
      "-n",
      String(options.units ?? 1),
      ...config,
    );
  }

  async integrate(provider: string, requirer: string): Promise<void> {
    await this.juju("integrate", `${provider}:certificates`, `${requirer}:certificates`);
  }

  /**
   * Waits until every unit's agent has been idle for three polls in a row. A unit in error
   * fails at once with its message rather than at the timeout; a status Juju could not read
   * counts as not idle yet.
   */
  async settle(): Promise<void> {
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? 30 * 60_000);
    let idlePolls = 0;
    let last = "";
    while (Date.now() < deadline) {
      const { errors, busy } = activity(await this.status());
      if (errors.length > 0) throw new Error(errors.join("; "));
      last = busy.join(", ");
      idlePolls = busy.length === 0 ? idlePolls + 1 : 0;
      if (idlePolls >= 3) return;
      await sleep(this.options.pollMs ?? 5_000);
    }
    throw new Error(`model ${this.model} did not settle; still busy: ${last}`);
  }

  async config(app: string, config: RequirerConfig): Promise<void> {
    const pairs = Object.entries(requirerConfig(config)).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) await this.juju("config", app, ...pairs);
  }

  async addUnits(app: string, count: number): Promise<string[]> {
    const before = new Set(await this.units(app));
    await this.juju("add-unit", app, "-n", String(count));
    for (;;) {
      const added = (await this.units(app)).filter((u) => !before.has(u));
      if (added.length >= count) return added;
      await sleep(this.options.pollMs ?? 2_000);
    }
  }

  /**
   * On Kubernetes, juju removes no named unit: `remove-unit <app> --num-units N` scales the
   * application down and the highest-numbered units go (cmd/juju/application/removeunit.go,
   * validateCAASRemoval). So only that unit can be asked for there.
   */
  async removeUnit(unit: string): Promise<void> {
    const app = appOf(unit);
    if (this.modelType === "caas") {
      const highest = (await this.units(app)).at(-1);
      if (unit !== highest) {
        throw new Error(
          `cannot remove ${unit}: on a Kubernetes model juju removes the highest-numbered unit (${highest ?? "none"})`,
        );
      }
      await this.juju("remove-unit", app, "--num-units", "1");
    } else {
      await this.juju("remove-unit", unit, "--no-prompt");
    }
    const deadline = Date.now() + 15 * 60_000;
    while ((await this.units(app)).includes(unit)) {
      if (Date.now() > deadline) throw new Error(`${unit} was not removed`);
      await sleep(this.options.pollMs ?? 5_000);
    }
  }

  async units(app: string): Promise<string[]> {
    return Object.keys(await this.unitsJson(app)).sort((a, b) => unitNumber(a) - unitNumber(b));
  }

  async leader(app: string): Promise<string> {
    const deadline = Date.now() + this.patience.timeoutMs;
    for (;;) {
      const leader = Object.entries(await this.unitsJson(app)).find(([, u]) => u.leader === true);
      if (leader) return leader[0];
      if (Date.now() > deadline) throw new Error(`${app} has no leader`);
      await sleep(this.patience.intervalMs);
    }
  }

  async unitStatus(unit: string): Promise<Status> {
    const found = (await this.unitsJson(appOf(unit)))[unit];
    if (!found) throw new Error(`unit ${unit} not found`);
    const unreadable = statusError(found);
    if (unreadable !== undefined) throw new Error(`status of ${unit} unavailable: ${unreadable}`);
    const workload = found["workload-status"];
    return { status: workload?.current ?? "", message: workload?.message ?? "" };
  }

  async runAction(
    unit: string,
    action: string,
    params: Record<string, unknown> = {},
  ): Promise<ActionOutcome> {
    // A params file keeps values as they are: `k=v` on the command line is read as YAML. juju
    // reads the file with yaml.v2 (cmd/juju/action/run.go), which refuses or folds some
    // characters that JSON leaves raw; escaped, they come back as they were.
    const name = `params-${randomBytes(4).toString("hex")}.json`;
    const file = this.scratch.write(name, escapeForYamlV2(JSON.stringify(params)));
    const args = ["run", unit, action, "--params", file, "--format=json", "--wait=5m"];
    let output: JujuOutput;
    try {
      output = await this.cli.run([...args, "-m", this.model]);
    } catch (error) {
      // A failed action exits non-zero but still prints its outcome.
      if (!(error instanceof JujuCommandError) || error.stdout.trim() === "") throw error;
      output = error;
    } finally {
      rmSync(file, { force: true });
    }
    // An action that could not be enqueued (params failing the schema, an undefined action)
    // exits 0 with nothing on stdout and the reason on stderr (cmd/juju/action/common.go,
    // processOperationResults with no task).
    if (output.stdout.trim() === "") {
      throw new Error(`juju run ${unit} ${action} ran no task: ${output.stderr.trim()}`);
    }
    const [outcome] = Object.values(ActionJson.parse(JSON.parse(output.stdout)));
    if (!outcome) throw new Error(`juju run ${unit} ${action} printed no outcome`);
    return {
      status: outcome.status === "completed" ? "completed" : "failed",
      ...(outcome.message ? { message: outcome.message } : {}),
      results: outcome.results ?? {},
    };
  }

  /**
   * Read through `juju show-unit` from both ends of the relation; of the application databags
   * shown, the provider's is the one with a `certificates` key (requirers never write one),
   * which spares us depending on which side's bag show-unit calls application-data.
   */
  async providerAppData(provider: string, requirer: string): Promise<Record<string, string>> {
    const views: [string, string][] = [
      [(await this.units(requirer))[0] ?? "", provider],
      [await this.leader(provider), requirer],
    ];
    for (const [unit, other] of views) {
      if (unit === "") continue;
      const shown = ShowUnitJson.parse(
        JSON.parse(await this.juju("show-unit", unit, "--format=json")),
      );
      for (const info of shown[unit]?.["relation-info"] ?? []) {
        if (info.endpoint !== "certificates") continue;
        const relatedUnits = Object.keys(info["related-units"] ?? {});
        if (relatedUnits.length > 0 && !relatedUnits.some((u) => u.startsWith(`${other}/`))) {
          continue;
        }
        const data = info["application-data"] ?? {};
        if ("certificates" in data) return data;
      }
    }
    return {};
  }

  async destroy(): Promise<void> {
    this.scratch.remove();
    if (this.options.keepModel) {
      console.log(`keeping model ${this.model} (TLS_IT_KEEP_MODEL=1)`);
      return;
    }
    await this.cli.run([
      "destroy-model",
      this.model,
      "--no-prompt",
      "--destroy-storage",
      "--force",
    ]);
  }
}

/** Charmhub's tls-certificates-requirer spells its options with underscores; mode is the same. */
function requirerConfig(config: RequirerConfig): Record<string, string> {
  return config.mode === undefined ? {} : { mode: config.mode };
}
