// What the simulator's CLI prints, in the shape `juju` prints it: status, show-unit, config and
// the outcome of `juju run`.
import { stringify } from "yaml";
import type { ActionRun } from "./action-task.ts";
import { goYaml } from "./hook-tool/format.ts";
import { effectiveConfig, getApp, localEnd, remoteEnd, unitsOfApp } from "./model.ts";
import type { State } from "./state.ts";

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

export function status(state: State): string {
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

export function showUnit(state: State, name: string): string {
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

/**
 * `juju config app`: every option with its type, default, where its value comes from and the
 * value; `juju config app key`: the value alone, "" for none.
 */
export function configView(state: State, app: string, key?: string): string {
  const application = getApp(state, app);
  const values = effectiveConfig(application);
  if (key !== undefined) {
    // cmd/juju/application/config.go getConfig: the value alone, as YAML; nothing for none.
    if (!application.options[key]) {
      throw new Error(`key "${key}" not found in "${app}" application settings.`);
    }
    return goYaml(values[key] ?? null);
  }
  const settings: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(application.options)) {
    settings[name] = {
      ...(option.default !== null && option.default !== undefined
        ? { default: effectiveConfig({ ...application, config: {} })[name] }
        : {}),
      ...(option.description !== undefined ? { description: option.description } : {}),
      source: name in application.config ? "user" : "default",
      type: option.type,
      ...(values[name] !== null && values[name] !== undefined ? { value: values[name] } : {}),
    };
  }
  return stringify({ application: app, charm: app, settings }, { sortMapEntries: true });
}

/** What `juju run` prints of a finished task: its logs, its results, the failure, the exit code. */
export function actionOutput(result: ActionRun): {
  logs: string;
  stdout: string;
  failure: string;
  code: number;
} {
  const time = new Date().toTimeString().slice(0, 8);
  const logs = result.logs.map((line) => `${time} ${line}\n`).join("");
  const lines: string[] = [];
  if (result.status === "failed") {
    lines.push(`Action id ${result.id} failed: ${result.message ?? ""}`);
  }
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
  // `juju run` fails on the task's return-code alone (cmd/juju/action/common.go waitForTasks),
  // not on its status: a task failed by action-fail, or whose changes could not be committed,
  // may still have return code 0.
  const code = Number(result.results["return-code"] ?? 0);
  const failure =
    code >= 1
      ? `ERROR the following task failed:\n - id "${result.id}" with return code ${code}\n`
      : "";
  return { logs, stdout: `${lines.join("\n")}\n`, failure, code: code >= 1 ? 1 : 0 };
}
