// `juju`, as much of it as the how-to scripts use, played on the simulator in $SIM_DIR, so a
// test can run a page's shell blocks as written. Each behaviour a script depends on is Juju 3.6's:
//   - `juju run UNIT ACTION [k=v ...] [--params FILE] [--format json|yaml|plain]`: CLI values
//     are typed as juju run types them and override the params file (cmd/juju/action/run.go);
//     --format=json prints {"<unit>": {id, status, message?, results, unit}}, the results with
//     "return-code" as a number (cmd/juju/action/common.go formatActionResult); the command
//     exits 1 only when the task's return-code is 1 or more, so an action failed by action-fail
//     exits 0 (waitForTasks); params the schema refuses print "Operation N failed to schedule
//     any tasks:" on stderr and exit 0 with nothing on stdout (processOperationResults);
//   - `juju config APP key=value|key=@file ...` and `juju config APP --reset key[,key]`: a value
//     starting with "@" is the file's contents (cmd/juju/application/config.go validateValues).
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { parseCliParams } from "../simulator/action-params.ts";
import { Simulator, type ActionRun } from "../simulator/index.ts";

const VALUE_FLAGS = new Set(["--params", "--format", "-o", "--output", "--wait", "-m", "--reset"]);

function split(args: readonly string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0) flags.set(arg.slice(0, eq), arg.slice(eq + 1));
    else if (VALUE_FLAGS.has(arg)) flags.set(arg, args[++i] ?? "");
    else flags.set(arg, "true");
  }
  return { positional, flags };
}

function taskJson(unit: string, run: ActionRun): Record<string, unknown> {
  const results: Record<string, unknown> = { ...run.results };
  results["return-code"] = Number(run.results["return-code"] ?? 0);
  return {
    [unit]: {
      id: String(run.id),
      status: run.status,
      ...(run.message === undefined ? {} : { message: run.message }),
      results,
      unit,
    },
  };
}

function plain(run: ActionRun): string {
  const lines: string[] = [];
  if (run.status === "failed") lines.push(`Action id ${run.id} failed: ${run.message ?? ""}`);
  const shown = Object.fromEntries(
    Object.entries(run.results).filter(([k]) => !["return-code", "stdout", "stderr"].includes(k)),
  );
  if (Object.keys(shown).length > 0) lines.push(stringify(shown).trimEnd());
  return lines.join("\n");
}

async function run(sim: Simulator, args: readonly string[]): Promise<number> {
  const { positional, flags } = split(args);
  const [target, action, ...pairs] = positional;
  if (target === undefined || action === undefined) {
    process.stderr.write("ERROR juju run needs a unit and an action\n");
    return 2;
  }
  const file = flags.get("--params");
  const fromFile =
    file === undefined
      ? {}
      : (parse(readFileSync(file, "utf8"), { version: "1.1" }) as Record<string, unknown>);
  const params = { ...fromFile, ...parseCliParams(pairs) };
  let result: ActionRun;
  try {
    result = await sim.runAction(target, action, params);
  } catch (error) {
    process.stderr.write(
      `Operation 1 failed to schedule any tasks:\n${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 0;
  }
  const unit = target.endsWith("/leader")
    ? (sim.state().applications[target.split("/")[0]!]?.leader ?? target)
    : target;
  const format = flags.get("--format") ?? flags.get("-o") ?? "plain";
  if (format === "json") process.stdout.write(`${JSON.stringify(taskJson(unit, result))}\n`);
  else if (format === "yaml") process.stdout.write(stringify(taskJson(unit, result)));
  else process.stdout.write(`${plain(result)}\n`);
  const code = Number(result.results["return-code"] ?? 0);
  if (code >= 1) {
    process.stderr.write(
      `ERROR the following task failed:\n - id "${result.id}" with return code ${code}\n`,
    );
    return 1;
  }
  return 0;
}

async function config(sim: Simulator, args: readonly string[]): Promise<number> {
  const { positional, flags } = split(args);
  const [app, ...pairs] = positional;
  if (app === undefined) {
    process.stderr.write("ERROR no application name specified\n");
    return 2;
  }
  const values: Record<string, unknown> = {};
  for (const key of (flags.get("--reset") ?? "").split(",").filter((k) => k !== "")) {
    values[key] = null;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      process.stderr.write(`ERROR expected "key=value", got "${pair}"\n`);
      return 2;
    }
    const value = pair.slice(eq + 1);
    values[pair.slice(0, eq)] = value.startsWith("@")
      ? readFileSync(value.slice(1), "utf8")
      : value;
  }
  await sim.config(app, values);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const dir = process.env["SIM_DIR"];
  if (dir === undefined) throw new Error("SIM_DIR is not set");
  const [command, ...args] = argv;
  const sim = await Simulator.create({ dir });
  switch (command) {
    case "run":
      return run(sim, args);
    case "config":
      return config(sim, args);
    default:
      process.stderr.write(`ERROR juju-on-simulator does not play "juju ${command ?? ""}"\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
