// A small juju-like CLI over a persistent simulator directory (--dir, $SIM_DIR, default .sim/):
//   deploy <charm-dir> [app] [-n N] [--config k=v]   integrate a:ep b:ep   run <unit> <action> k=v...
//   status   show-unit <unit>   remove-unit <unit>   remove-relation <id>   config <app> k=v...
//   resolve <unit> [--no-retry]   wait <seconds>   (virtual time: automatic hook retries fall due)
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { readCharm } from "./charm.ts";
import { Simulator } from "./index.ts";
import { localEnd, remoteEnd, unitsOfApp } from "./model.ts";
import type { State } from "./state.ts";

function keyValues(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq < 0) throw new Error(`expected key=value, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function status(state: State): string {
  const apps = Object.values(state.applications).map((a) => {
    const units = unitsOfApp(state, a.name);
    const shown =
      a.status.status === "unknown" && units[0] ? state.units[units[0]]!.workload : a.status;
    return [a.name, a.version, shown.status, String(units.length), shown.message];
  });
  const units = Object.values(state.units).map((u) => [
    u.name + (state.applications[u.app]?.leader === u.name ? "*" : ""),
    u.workload.status,
    u.agent.status,
    u.machine,
    u.address,
    u.agent.status === "error" ? u.agent.message : u.workload.message,
  ]);
  const relations = state.relations.map((r) => {
    const provider = r.ends.find(
      (e) => state.applications[e.app]?.endpoints[e.endpoint]?.role !== "requires",
    )!;
    const requirer = r.ends.find((e) => e !== provider) ?? provider;
    const type = r.peer ? "peer" : "regular";
    return [
      String(r.id),
      `${provider.app}:${provider.endpoint}`,
      `${requirer.app}:${requirer.endpoint}`,
      r.interface,
      type,
    ];
  });
  return [
    `Model  ${state.model.name}`,
    table([["App", "Version", "Status", "Units", "Message"], ...apps]),
    table([["Unit", "Workload", "Agent", "Machine", "Address", "Message"], ...units]),
    table([["Id", "Provider", "Requirer", "Interface", "Type"], ...relations]),
  ].join("\n\n");
}

function showUnit(state: State, name: string): string {
  const unit = state.units[name];
  if (!unit) throw new Error(`unit "${name}" not found`);
  const relationInfo = state.relations
    .filter((r) => r.views[name])
    .map((r) => {
      const local = localEnd(r, unit.app);
      const remote = remoteEnd(r, unit.app);
      const related: Record<string, unknown> = {};
      for (const other of Object.keys(r.views[name]!.members).sort())
        related[other] = { "in-scope": true, data: r.unitData[other] ?? {} };
      return {
        "relation-id": r.id,
        endpoint: local.endpoint,
        "related-endpoint": remote.endpoint,
        "application-data": r.appData[remote.app] ?? {},
        "local-unit": { "in-scope": true, data: r.unitData[name] ?? {} },
        ...(Object.keys(related).length > 0 ? { "related-units": related } : {}),
      };
    });
  const leader = state.applications[unit.app]?.leader === name;
  return stringify({ [name]: { leader, machine: unit.machine, "relation-info": relationInfo } });
}

async function run(
  sim: Simulator,
  target: string,
  action: string,
  args: string[],
): Promise<number> {
  const result = await sim.runAction(target, action, args);
  const time = new Date().toTimeString().slice(0, 8);
  for (const line of result.logs) console.error(`${time} ${line}`);
  const lines: string[] = [];
  if (result.status === "failed")
    lines.push(`Action id ${result.id} failed: ${result.message ?? ""}`);
  const shown = Object.fromEntries(
    Object.entries(result.results).filter(
      ([k]) => !["return-code", "stdout", "stderr"].includes(k),
    ),
  );
  if (Object.keys(shown).length > 0) lines.push(stringify(shown).trimEnd());
  // `juju run` prints the stdout/stderr results, as the agent captured them, trimmed of "\n".
  for (const key of ["stdout", "stderr"]) {
    const text = String(result.results[key] ?? "").replace(/^\n+|\n+$/g, "");
    if (text !== "") lines.push(text);
  }
  console.log(lines.join("\n"));
  // `juju run` fails on the task's return-code alone (cmd/juju/action/common.go waitForTasks),
  // not on its status: a task failed by action-fail, or whose changes could not be committed,
  // may still have return code 0.
  const code = Number(result.results["return-code"] ?? 0);
  if (code >= 1) {
    console.error(
      `ERROR the following task failed:\n - id "${result.id}" with return code ${code}`,
    );
    return 1;
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      n: { type: "string", short: "n" },
      config: { type: "string", multiple: true },
      "no-retry": { type: "boolean" },
    },
  });
  const dir = values.dir ?? process.env["SIM_DIR"] ?? ".sim";
  const [command, ...args] = positionals;
  const sim = await Simulator.create({ dir });
  switch (command) {
    case "deploy": {
      const [charmDir, app] = args as [string, string | undefined];
      const name = app ?? readCharm(charmDir).name ?? basename(charmDir);
      const units = Number(values.n ?? "1");
      await sim.deploy(name, charmDir, { units, config: keyValues(values.config ?? []) });
      console.log(`Deployed "${name}" with ${units} unit(s)`);
      return 0;
    }
    case "integrate":
      console.log(`Integrated as relation ${await sim.integrate(args[0]!, args[1]!)}`);
      return 0;
    case "run":
      return run(sim, args[0]!, args[1]!, args.slice(2));
    case "status":
      console.log(status(sim.state()));
      return 0;
    case "show-unit":
      process.stdout.write(showUnit(sim.state(), args[0]!));
      return 0;
    case "remove-unit":
      await sim.removeUnit(args[0]!);
      return 0;
    case "remove-relation":
      await sim.removeRelation(Number(args[0]));
      return 0;
    case "config":
      await sim.config(args[0]!, keyValues(args.slice(1)));
      return 0;
    case "resolve":
      await sim.resolve(args[0]!, { retry: values["no-retry"] !== true });
      return 0;
    case "wait":
      await sim.advanceTime(Number(args[0]) * 1000);
      return 0;
    default:
      console.error(`unknown command "${command ?? ""}"; see the header of tests/simulator/cli.ts`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`ERROR ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
