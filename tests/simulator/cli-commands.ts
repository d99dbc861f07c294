// The commands of the simulator's CLI (cli.ts), each as `juju` has it, with the options it takes.
// After a command that changes the model the CLI waits until every agent is idle, as if you
// waited for `juju status` to settle; --no-settle returns at once, as `juju` itself does, so that
// the next command (a `run`, say) meets the agents where they are.
import { readFileSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { readCharm } from "./charm.ts";
import { actionOutput, configView, showUnit, status } from "./cli-views.ts";
import type { Simulator } from "./index.ts";

/** A mistake in how a command was called: exit 2, as juju's usage errors. */
export class UsageError extends Error {}

export interface Flags {
  n?: string;
  config?: string[];
  reset?: string[];
  "no-settle"?: boolean;
  "no-retry"?: boolean;
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** More than the summary, for `help <command>`. */
  details?: string;
  /** The options it takes besides --dir and --help. */
  options: (keyof Flags)[];
  run: (sim: Simulator, args: string[], flags: Flags, io: Io) => Promise<number>;
}

export const OPTION_HELP: Record<keyof Flags | "dir" | "help", [string, string]> = {
  dir: ["--dir DIR", "the model's directory (default $SIM_DIR, else .sim)"],
  n: ["-n N", "how many units (default 1)"],
  config: ["--config KEY=VALUE", "a config value to deploy with (repeatable)"],
  reset: ["--reset KEY[,KEY...]", "reset options to their defaults"],
  "no-settle": ["--no-settle", "return at once, before the agents act on the change"],
  "no-retry": ["--no-retry", "mark the failed hook done instead of running it again"],
  help: ["-h, --help", "show help"],
};

const settle = (flags: Flags) => ({ settle: flags["no-settle"] !== true });

function count(flags: Flags): number {
  const n = Number(flags.n ?? "1");
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`-n must be a positive integer`);
  return n;
}

function arity(args: string[], min: number, max: number, usage: string): void {
  if (args.length < min || args.length > max) throw new UsageError(`usage: ${usage}`);
}

function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`expected "key=value", got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, eq);
    if (key in out) throw new UsageError(`key "${key}" specified more than once`);
    out[key] = pair.slice(eq + 1);
  }
  return out;
}

const MAX_OPTION_FILE = 5_242_880;

/**
 * `juju config app key=@file` reads the option from the file, as it is, relative to the working
 * directory (cmd/juju/application/config.go validateValues, utils.go ReadValue).
 */
function readOptionFile(key: string, name: string, cwd: string): string {
  const path = resolve(cwd, name);
  let size: number;
  let content: Buffer;
  try {
    size = statSync(path).size;
    content = readFileSync(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    const why = missing ? `stat ${path}: no such file or directory` : String(error);
    throw new Error(`cannot read option from file ${JSON.stringify(name)}: ${why}`);
  }
  if (size > MAX_OPTION_FILE) throw new Error("size of option file is larger than 5M");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    throw new Error(`value for option "${key}" contains non-UTF-8 sequences`);
  }
}

function configValues(pairs: string[], reset: string[], cwd: string): Record<string, unknown> {
  const values: Record<string, unknown> = keyValues(pairs);
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === "string" && value.startsWith("@")) {
      values[key] = readOptionFile(key, value.slice(1), cwd);
    }
  }
  for (const key of reset.flatMap((list) => list.replace(/^,+|,+$/g, "").split(","))) {
    if (key in values) throw new UsageError(`cannot set and reset key "${key}" simultaneously`);
    values[key] = null;
  }
  return values;
}

function relationIdOf(sim: Simulator, args: string[]): number {
  if (args.length === 1 && /^[0-9]+$/.test(args[0]!)) return Number(args[0]);
  const [a, b] = args as [string, string];
  const matches = (ref: string, end: { app: string; endpoint: string }) => {
    const [app, endpoint] = ref.split(":");
    return app === end.app && (endpoint === undefined || endpoint === end.endpoint);
  };
  const found = sim
    .state()
    .relations.filter(
      (r) =>
        !r.peer &&
        ((matches(a, r.ends[0]) && matches(b, r.ends[1])) ||
          (matches(a, r.ends[1]) && matches(b, r.ends[0]))),
    );
  if (found.length !== 1) throw new Error(`relation "${a} ${b}" not found`);
  return found[0]!.id;
}

export const COMMANDS: readonly Command[] = [
  {
    name: "deploy",
    usage: "deploy <charm-dir> [<app>] [-n N] [--config KEY=VALUE]... [--no-settle]",
    summary: "Deploy a charm from a directory as an application with N units.",
    options: ["n", "config", "no-settle"],
    run: async (sim, args, flags, io) => {
      arity(args, 1, 2, "deploy <charm-dir> [<app>]");
      const [charmDir, app] = args as [string, string | undefined];
      const name = app ?? readCharm(charmDir).name ?? basename(charmDir);
      const units = count(flags);
      const config = keyValues(flags.config ?? []);
      await sim.deploy(name, charmDir, { units, config, ...settle(flags) });
      io.out(`Deployed "${name}" with ${units} unit(s)\n`);
      return 0;
    },
  },
  {
    name: "add-unit",
    usage: "add-unit <app> [-n N] [--no-settle]",
    summary: "Add N units (default 1) to an application; each then runs its deploy sequence.",
    options: ["n", "no-settle"],
    run: async (sim, args, flags) => {
      arity(args, 1, 1, "add-unit <app>");
      const n = count(flags);
      for (let i = 0; i < n; i++) await sim.addUnit(args[0]!, { settle: false });
      if (settle(flags).settle) await sim.settle();
      return 0;
    },
  },
  {
    name: "integrate",
    usage: "integrate <app>[:<endpoint>] <app>[:<endpoint>] [--no-settle]",
    summary: "Relate two applications; the units of both then enter the relation.",
    options: ["no-settle"],
    run: async (sim, args, flags, io) => {
      arity(args, 2, 2, "integrate <app>[:<endpoint>] <app>[:<endpoint>]");
      const id = await sim.integrate(args[0]!, args[1]!, settle(flags));
      io.out(`Integrated as relation ${id}\n`);
      return 0;
    },
  },
  {
    name: "remove-relation",
    usage: "remove-relation <relation-id> | <app>[:<endpoint>] <app>[:<endpoint>] [--no-settle]",
    summary: "Remove a relation; each unit in it departs its members and breaks it.",
    options: ["no-settle"],
    run: async (sim, args, flags) => {
      arity(args, 1, 2, "remove-relation <relation-id> | <app>[:<endpoint>] <app>[:<endpoint>]");
      await sim.removeRelation(relationIdOf(sim, args), settle(flags));
      return 0;
    },
  },
  {
    name: "remove-unit",
    usage: "remove-unit <unit>... [--no-settle]",
    summary: "Remove units; each departs, breaks its relations, stops and goes.",
    options: ["no-settle"],
    run: async (sim, args, flags) => {
      arity(args, 1, Infinity, "remove-unit <unit>...");
      for (const unit of args) await sim.removeUnit(unit, { settle: false });
      if (settle(flags).settle) await sim.settle();
      return 0;
    },
  },
  {
    name: "config",
    usage: "config <app> [<key> | KEY=VALUE... | KEY=@FILE...] [--reset KEY,...] [--no-settle]",
    summary: "Show an application's config or one value, or set values.",
    details:
      "Values are typed as `juju config` types them: an int is a base-10 int64, a float is\n" +
      "Go's float syntax, a boolean is true/false (or 1/0, t/f). KEY=@FILE reads the value from\n" +
      "FILE, as it is, relative to the working directory. --reset puts keys back to their\n" +
      "defaults.",
    options: ["reset", "no-settle"],
    run: async (sim, args, flags, io) => {
      arity(args, 1, Infinity, "config <app> [<key> | KEY=VALUE...]");
      const [app, ...rest] = args as [string, ...string[]];
      const reset = flags.reset ?? [];
      if (rest.length === 0 && reset.length === 0) {
        io.out(configView(sim.state(), app));
        return 0;
      }
      if (rest.length === 1 && !rest[0]!.includes("=") && reset.length === 0) {
        io.out(configView(sim.state(), app, rest[0]!));
        return 0;
      }
      await sim.config(app, configValues(rest, reset, io.cwd), settle(flags));
      return 0;
    },
  },
  {
    name: "run",
    usage: "run <unit> <action> [KEY=VALUE]... [--no-settle]",
    summary: "Run an action on a unit (<app>/leader: on the leader) and show its results.",
    details:
      "The unit takes the action where its agent would: after the relation-created, leadership\n" +
      "and queued hooks it owes, before its config-changed and relation hooks; then the model\n" +
      "settles, unless --no-settle. Exits 1 if the action's return code is 1 or more, as\n" +
      "`juju run` does.",
    options: ["no-settle"],
    run: async (sim, args, flags, io) => {
      arity(args, 2, Infinity, "run <unit> <action> [KEY=VALUE]...");
      const [unit, action, ...params] = args as [string, string, ...string[]];
      const result = actionOutput(await sim.runAction(unit, action, params, settle(flags)));
      io.err(result.logs);
      io.out(result.stdout);
      io.err(result.failure);
      return result.code;
    },
  },
  {
    name: "status",
    usage: "status",
    summary: "Show applications, units (* marks the leader) and relations.",
    options: [],
    run: (sim, args, _flags, io) => {
      arity(args, 0, 0, "status");
      io.out(`${status(sim.state())}\n`);
      return Promise.resolve(0);
    },
  },
  {
    name: "show-unit",
    usage: "show-unit <unit>",
    summary: "Show a unit's relations and the databags it sees.",
    options: [],
    run: (sim, args, _flags, io) => {
      arity(args, 1, 1, "show-unit <unit>");
      io.out(showUnit(sim.state(), args[0]!));
      return Promise.resolve(0);
    },
  },
  {
    name: "resolve",
    usage: "resolve <unit> [--no-retry]",
    summary: "Run a unit's failed hook again (or with --no-retry mark it done).",
    options: ["no-retry"],
    run: async (sim, args, flags) => {
      arity(args, 1, 1, "resolve <unit>");
      await sim.resolve(args[0]!, { retry: flags["no-retry"] !== true });
      return 0;
    },
  },
  {
    name: "wait",
    usage: "wait <seconds>",
    summary: "Let virtual time pass: automatic hook retries that fall due run.",
    options: [],
    run: async (sim, args) => {
      arity(args, 1, 1, "wait <seconds>");
      const seconds = Number(args[0]);
      if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError("wait takes seconds");
      await sim.advanceTime(seconds * 1000);
      return 0;
    },
  },
  {
    name: "settle",
    usage: "settle",
    summary: "Let every agent run what it owes until all are idle (after --no-settle).",
    options: [],
    run: async (sim, args) => {
      arity(args, 0, 0, "settle");
      await sim.settle();
      return 0;
    },
  },
];

export const commandNames = (): string[] => [...COMMANDS.map((c) => c.name), "help"];
