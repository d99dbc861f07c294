// A juju-like CLI over a simulated model kept in a directory (--dir, $SIM_DIR, default .sim/):
// `npm run sim -- help` lists the commands (cli-commands.ts) and their options.
import { parseArgs } from "node:util";
import { COMMANDS, OPTION_HELP, UsageError, type Command, type Flags } from "./cli-commands.ts";
import { Simulator } from "./index.ts";

const PROGRAM = "npm run sim --";

const OPTIONS = {
  dir: { type: "string" },
  n: { type: "string", short: "n" },
  config: { type: "string", multiple: true },
  reset: { type: "string", multiple: true },
  "no-settle": { type: "boolean" },
  "no-retry": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The options' flags and descriptions, in two columns. */
function options(names: (keyof typeof OPTION_HELP)[]): string[] {
  const rows = names.map((name) => OPTION_HELP[name]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`);
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    "",
    "Drives a simulated Juju model the way `juju` drives a real one.",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${"help".padEnd(width)}  Show this, or a command's usage: help <command>.`,
    "",
    "Options every command takes:",
    ...options(["dir", "help"]),
    "",
    "A command that changes the model returns once every agent is idle; with --no-settle it",
    "returns at once, as juju does, and the agents act at the next command that waits.",
    "",
  ].join("\n");
}

function commandHelp(command: Command): string {
  return [
    `Usage: ${PROGRAM} ${command.usage}`,
    "",
    command.summary,
    ...(command.details === undefined ? [] : ["", command.details]),
    "",
    "Options:",
    ...options([...command.options, "dir", "help"]),
    "",
  ].join("\n");
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const [name, ...args] = positionals;
  if (name === undefined || name === "help") {
    const topic = COMMANDS.find((c) => c.name === args[0]);
    if (args[0] !== undefined && !topic) throw new UsageError(`unknown command "${args[0]}"`);
    process.stdout.write(topic ? commandHelp(topic) : overview());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new UsageError(`unknown command "${name}"; see "${PROGRAM} help"`);
  }
  if (values.help === true) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const given = Object.keys(values).filter((key) => key !== "dir") as (keyof Flags)[];
  const unsupported = given.find((key) => !command.options.includes(key));
  if (unsupported) throw new UsageError(`${name} does not take --${unsupported}`);
  const dir = values.dir ?? process.env["SIM_DIR"] ?? ".sim";
  const sim = await Simulator.create({ dir });
  return command.run(sim, args, values, {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    // `npm run` runs the script in the package's root and keeps the user's directory here.
    cwd: process.env["INIT_CWD"] ?? process.cwd(),
  });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`ERROR ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
