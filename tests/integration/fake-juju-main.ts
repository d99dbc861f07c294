// A stand-in `juju` (3.6) for the driver's tests: it records its argv and answers the few
// commands the driver runs, each the way the real CLI does where the driver depends on it:
//   - a strictly confined snap sees its own /tmp and no hidden path under $HOME
//     (jubilant/_juju.py works around the same by using ~/snap/juju/common);
//   - `juju run` whose action cannot be enqueued (params that fail the schema, an undefined
//     action) prints "Operation N failed to schedule any tasks:" and the errors on stderr and
//     exits 0 with nothing on stdout (cmd/juju/action/common.go processOperationResults,
//     numTasks == 0; ctx.Infof writes to stderr);
//   - `juju run --params` reads its file with gopkg.in/yaml.v2 (cmd/juju/action/run.go), which
//     refuses control characters and folds NEL, LS and PS (hook-tool/yaml-v2-reader.ts);
//   - on a k8s model, add-unit takes only -n and remove-unit only an application with
//     --num-units (cmd/juju/application/addunit.go, removeunit.go validateCAASRemoval).
// `juju status` answers come from the test, one per call, the last repeated.
import { appendFileSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { parse } from "yaml";
import { actionSchema, validateParams } from "../simulator/action-schema.ts";
import { RunError } from "../simulator/hook-tool/tool.ts";
import { readAsYamlV2 } from "../simulator/hook-tool/yaml-v2-reader.ts";
import type { FakeJujuConfig } from "./fake-juju.ts";

const VALUE_FLAGS = new Set([
  "-m",
  "-n",
  "--num-units",
  "--params",
  "--format",
  "--wait",
  "--base",
  "--channel",
  "--config",
  "--to",
]);

interface Parsed {
  readonly positional: string[];
  readonly flags: Map<string, string>;
}

function parseArgs(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) positional.push(arg);
    else if (arg.includes("="))
      flags.set(arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1));
    else if (VALUE_FLAGS.has(arg)) flags.set(arg, args[++i] ?? "");
    else flags.set(arg, "true");
  }
  return { positional, flags };
}

class Exit extends Error {
  constructor(
    readonly code: number,
    readonly stderr: string,
  ) {
    super(stderr);
  }
}

const config = JSON.parse(readFileSync(process.env["FAKE_JUJU_CONFIG"]!, "utf8")) as FakeJujuConfig;

/** Reads a file the way the juju binary could: confined, or not. */
function readAsJuju(path: string): string {
  const full = resolve(path);
  if (config.snap) {
    const inHome = relative(config.home, full);
    if (inHome.startsWith("..") || isAbsolute(inHome)) {
      // The snap's /tmp and the host's other directories are not the files the caller wrote.
      throw new Exit(1, `ERROR open ${full}: no such file or directory\n`);
    }
    if (inHome.split(sep).some((part) => part.startsWith("."))) {
      throw new Exit(1, `ERROR open ${full}: permission denied\n`);
    }
  }
  try {
    return readFileSync(full, "utf8");
  } catch {
    throw new Exit(1, `ERROR open ${full}: no such file or directory\n`);
  }
}

/** The params file's text as yaml.v2 would take it; its refusal is juju's error. */
function asYamlV2Reads(text: string): string {
  try {
    return readAsYamlV2(text);
  } catch (error) {
    if (error instanceof RunError) throw new Exit(1, `ERROR ${error.message}\n`);
    throw error;
  }
}

function calls(command: string): number {
  return readFileSync(config.log, "utf8")
    .split("\n")
    .filter((line) => line !== "" && (JSON.parse(line) as string[])[0] === command).length;
}

function run({ positional, flags }: Parsed): string {
  const [unit, action] = positional;
  if (unit === undefined || action === undefined) throw new Exit(2, "ERROR no unit specified\n");
  const paramsFile = flags.get("--params");
  const params =
    paramsFile === undefined ? {} : (parse(asYamlV2Reads(readAsJuju(paramsFile))) ?? {});
  const actions = parse(readFileSync(config.actionsYaml, "utf8")) as Record<string, object>;
  const spec = actions[action];
  const error =
    spec === undefined
      ? `action "${action}" not defined on unit "${unit}"`
      : validateParams(actionSchema(action, spec as Record<string, unknown>), params);
  if (error !== undefined) {
    process.stderr.write(`\nOperation 1 failed to schedule any tasks:\n${error}\n`);
    return "";
  }
  const outcome = {
    id: "2",
    status: "completed",
    unit,
    results: { params: JSON.stringify(params) },
  };
  return `${JSON.stringify({ [unit.replace("/leader", "/0")]: outcome })}\n`;
}

function addUnit({ flags }: Parsed): string {
  if (config.modelType === "caas" && flags.has("--to")) {
    throw new Exit(2, "ERROR k8s models only support --num-units\n");
  }
  return "";
}

function removeUnit({ positional, flags }: Parsed): string {
  const numUnits = Number(flags.get("--num-units") ?? "0");
  if (config.modelType === "caas") {
    if (positional.length !== 1) throw new Exit(2, "ERROR only single application supported\n");
    if (positional[0]!.includes("/")) {
      throw new Exit(
        2,
        "ERROR k8s models do not support removing named units.\nInstead specify an application with --num-units.\n",
      );
    }
    if (numUnits <= 0) {
      throw new Exit(2, "ERROR specify the number of units (> 0) to remove using --num-units\n");
    }
    return "";
  }
  if (numUnits !== 0) throw new Exit(2, "ERROR --num-units for non k8s models not valid\n");
  if (positional.some((name) => !name.includes("/"))) {
    throw new Exit(2, `ERROR invalid unit name "${positional.find((n) => !n.includes("/"))}"\n`);
  }
  return positional.map((name) => `will remove unit ${name}\n`).join("");
}

function main(argv: string[]): string {
  const [command = "", ...rest] = argv;
  const parsed = parseArgs(rest);
  switch (command) {
    case "whoami":
    case "add-model":
    case "model-config":
    case "integrate":
    case "config":
    case "destroy-model":
      return "";
    case "show-model": {
      const name = parsed.positional[0] ?? parsed.flags.get("-m") ?? "default";
      const provider = config.modelType === "caas" ? "kubernetes" : "lxd";
      const info = {
        name: `admin/${name}`,
        "short-name": name,
        "model-type": config.modelType,
        type: provider,
      };
      return `${JSON.stringify({ [name]: info })}\n`;
    }
    case "deploy": {
      const charm = parsed.positional[0] ?? "";
      if (charm.startsWith("/") || charm.startsWith(".")) readAsJuju(charm);
      return "";
    }
    case "status": {
      const answers = config.statuses;
      const answer = answers[Math.min(calls("status") - 1, answers.length - 1)];
      return `${JSON.stringify(answer ?? {})}\n`;
    }
    case "run":
      return run(parsed);
    case "add-unit":
      return addUnit(parsed);
    case "remove-unit":
      return removeUnit(parsed);
    default:
      throw new Exit(1, `ERROR juju: "${command}" is not a command the fake knows\n`);
  }
}

const argv = process.argv.slice(2);
appendFileSync(config.log, `${JSON.stringify(argv)}\n`);
try {
  process.stdout.write(main(argv));
} catch (error) {
  if (!(error instanceof Exit)) throw error;
  process.stderr.write(error.stderr);
  process.exitCode = error.code;
}
