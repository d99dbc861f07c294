// A small Juju in memory: the hook tools the charm calls, answered from plain objects, with
// Juju's commit rule (relation-set lands only when the dispatch exits 0; juju-log and
// status-set land at once). The charm runs in-process through `createCharm().dispatch`, so
// hundreds of generated cases cost seconds, not minutes.
import { createCharm } from "../../src/charm/charm.ts";
import type { ToolOutput, ToolRunner } from "../../src/juju/index.ts";

export const OPERATOR = "tls-certificates-operator";
export const ENDPOINT = "certificates";

export type Bag = Record<string, string>;

export interface MemoryRelation {
  readonly id: number;
  readonly remoteApp: string;
  /** Remote units still in the relation, with their databags. */
  units: Record<string, Bag>;
  remoteAppData: Bag;
  /** Our application's databag: what the leader published. */
  ourAppData: Bag;
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
}

/** Returns an output to make a tool call fail (or answer oddly), or undefined to run it. */
export type FaultHook = (tool: string, args: readonly string[]) => ToolOutput | undefined;

export interface DispatchResult {
  readonly exitCode: number;
  readonly calls: readonly (readonly string[])[];
  readonly logs: readonly LogLine[];
  readonly status: { status: string; message: string } | undefined;
}

export interface ActionResult extends DispatchResult {
  readonly failed: string | undefined;
  readonly results: Readonly<Record<string, string>>;
}

const ok = (value: unknown): ToolOutput => ({
  exitCode: 0,
  stdout: `${JSON.stringify(value)}\n`,
  stderr: "",
});
const done: ToolOutput = { exitCode: 0, stdout: "", stderr: "" };
const refuse = (message: string): ToolOutput => ({
  exitCode: 1,
  stdout: "",
  stderr: `ERROR ${message}\n`,
});

function flag(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

export class MemoryJuju {
  readonly relations: MemoryRelation[] = [];
  leader = `${OPERATOR}/0`;
  config: Record<string, unknown> = {};
  /** Each unit's committed charm state (state-get, state-set, state-delete). */
  readonly charmState: Record<string, Bag> = {};
  /** Every juju-log line of every dispatch, in order. */
  readonly allLogs: LogLine[] = [];
  fault: FaultHook | undefined;
  private nextId = 0;

  addRelation(remoteApp: string, units: Record<string, Bag> = {}, appData: Bag = {}): number {
    const id = this.nextId++;
    this.relations.push({ id, remoteApp, units, remoteAppData: appData, ourAppData: {} });
    return id;
  }

  relation(id: number): MemoryRelation {
    const relation = this.relations.find((r) => r.id === id);
    if (!relation) throw new Error(`no relation ${id}`);
    return relation;
  }

  removeRelation(id: number): void {
    const at = this.relations.findIndex((r) => r.id === id);
    if (at !== -1) this.relations.splice(at, 1);
  }

  /** Every `certificates` value we published, per relation id. */
  published(): Record<number, string | undefined> {
    return Object.fromEntries(this.relations.map((r) => [r.id, r.ourAppData["certificates"]]));
  }

  /** A hook on our unit (the leader by default); `relationId` makes it a relation hook. */
  async hook(
    name: string,
    options: { unit?: string; relationId?: number; remoteUnit?: string } = {},
  ): Promise<DispatchResult> {
    const unit = options.unit ?? this.leader;
    const extra: Record<string, string> = {};
    if (options.relationId !== undefined) {
      extra["JUJU_RELATION"] = ENDPOINT;
      extra["JUJU_RELATION_ID"] = `${ENDPOINT}:${options.relationId}`;
      extra["JUJU_REMOTE_APP"] = this.relations.find((r) => r.id === options.relationId)
        ? this.relation(options.relationId).remoteApp
        : "";
      extra["JUJU_REMOTE_UNIT"] = options.remoteUnit ?? "";
      if (name.endsWith("-relation-departed"))
        extra["JUJU_DEPARTING_UNIT"] = options.remoteUnit ?? "";
    }
    const run = await this.dispatch(unit, `hooks/${name}`, extra, {});
    return run;
  }

  async action(
    name: string,
    params: Record<string, unknown>,
    unit: string = this.leader,
  ): Promise<ActionResult> {
    return this.dispatch(unit, `actions/${name}`, { JUJU_ACTION_NAME: name }, params);
  }

  private async dispatch(
    unit: string,
    path: string,
    extra: Record<string, string>,
    params: Record<string, unknown>,
  ): Promise<ActionResult> {
    const calls: string[][] = [];
    const logs: LogLine[] = [];
    const results: Record<string, string> = {};
    const pending = new Map<number, Bag>();
    let stateAfter: Bag | undefined;
    const state = (): Bag => (stateAfter ??= { ...this.charmState[unit] });
    let status: { status: string; message: string } | undefined;
    let failed: string | undefined;
    const leader = unit === this.leader;

    const answer = (tool: string, args: readonly string[], stdin?: string): ToolOutput => {
      switch (tool) {
        case "is-leader":
          return ok(leader);
        case "config-get":
          return ok(this.config);
        case "action-get":
          return ok(params);
        case "relation-ids":
          return ok(args[0] === ENDPOINT ? this.relations.map((r) => `${ENDPOINT}:${r.id}`) : []);
        case "relation-list": {
          const relation = this.relations.find((r) => String(r.id) === flag(args, "-r"));
          if (!relation) return refuse(`invalid value "${flag(args, "-r")}" for option -r`);
          return args.includes("--app")
            ? ok(relation.remoteApp)
            : ok(Object.keys(relation.units).sort());
        }
        case "relation-get": {
          const relation = this.relations.find((r) => String(r.id) === flag(args, "-r"));
          if (!relation) return refuse(`invalid value "${flag(args, "-r")}" for option -r`);
          const owner = args[args.length - 1] ?? "";
          if (args.includes("--app")) {
            if (owner === relation.remoteApp) return ok(relation.remoteAppData);
            if (owner === OPERATOR && leader) return ok(relation.ourAppData);
            return refuse("permission denied");
          }
          const bag = relation.units[owner];
          return bag === undefined ? refuse("permission denied") : ok(bag);
        }
        case "relation-set": {
          const id = Number(flag(args, "-r"));
          const relation = this.relations.find((r) => r.id === id);
          if (!relation) return refuse(`invalid value "${flag(args, "-r")}" for option -r`);
          if (!args.includes("--app")) return refuse("this test model has no unit writes");
          if (!leader) return refuse("cannot write relation settings: not the leader");
          const data = JSON.parse(stdin ?? "{}") as Bag;
          pending.set(id, { ...pending.get(id), ...data });
          return done;
        }
        case "state-get": {
          const whole = state();
          return ok(Object.keys(whole).length === 0 ? null : whole);
        }
        case "state-set":
          Object.assign(state(), JSON.parse(stdin ?? "{}") as Bag);
          return done;
        case "state-delete":
          delete state()[args[0] ?? ""];
          return done;
        case "juju-log": {
          const level = flag(args, "--log-level") ?? "INFO";
          const message = args[args.length - 1] ?? "";
          logs.push({ level, message });
          this.allLogs.push({ level, message });
          return done;
        }
        case "status-set": {
          const dash = args.indexOf("--");
          status = { status: args[dash - 1] ?? "", message: args[dash + 1] ?? "" };
          return done;
        }
        case "action-set":
          for (const pair of args) {
            const eq = pair.indexOf("=");
            results[pair.slice(0, eq)] = pair.slice(eq + 1);
          }
          return done;
        case "action-fail":
          failed = args[args.length - 1] ?? "";
          return done;
        case "action-log":
        case "application-version-set":
          return done;
        default:
          return refuse(`unknown tool ${tool}`);
      }
    };

    const runner: ToolRunner = (tool, args, stdin) => {
      // As node's spawnSync does for the real tools: an argv element holding NUL throws before
      // the tool runs.
      const withNul = args.findIndex((arg) => arg.includes("\0"));
      if (withNul !== -1) {
        throw new TypeError(`The argument 'args[${withNul}]' must be a string without null bytes`);
      }
      calls.push([tool, ...args]);
      return this.fault?.(tool, args) ?? answer(tool, args, stdin);
    };
    const env: NodeJS.ProcessEnv = {
      JUJU_DISPATCH_PATH: path,
      JUJU_UNIT_NAME: unit,
      JUJU_MODEL_NAME: "robustness",
      JUJU_MODEL_UUID: "00000000-0000-4000-8000-000000000000",
      JUJU_CHARM_DIR: "/charm",
      JUJU_CONTEXT_ID: `${unit}-${path}`,
      JUJU_VERSION: "3.6.8",
      ...(path.startsWith("actions/") ? { JUJU_ACTION_UUID: "1" } : {}),
      ...extra,
    };
    const exitCode = await createCharm().dispatch(env, runner);
    if (exitCode === 0) {
      if (stateAfter !== undefined) this.charmState[unit] = stateAfter;
      for (const [id, data] of pending) {
        const relation = this.relations.find((r) => r.id === id);
        if (!relation) continue;
        for (const [key, value] of Object.entries(data)) {
          if (value === "") delete relation.ourAppData[key];
          else relation.ourAppData[key] = value;
        }
      }
    }
    return { exitCode, calls, logs, status, failed, results };
  }
}

/** True when a relation-set ran in these calls. */
export const wroteRelation = (calls: readonly (readonly string[])[]): boolean =>
  calls.some((call) => call[0] === "relation-set");
