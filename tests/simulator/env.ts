// The environment of a hook process: exactly HookContext.HookVars of Juju 3.x plus
// JUJU_DISPATCH_PATH, and nothing inherited from the process that runs the simulator.
import { agentPath } from "./agent-path.ts";
import { agentSocketPath } from "./agent-socket.ts";
import { getRelation, getUnit, relationKey, unitCharmDir } from "./model.ts";
import type { HookContext, State } from "./state.ts";

export const JUJU_VERSION = "3.6.4";
/**
 * "PATH=" + tools dir + ":" + the agent's own PATH (appendPath in
 * internal/worker/uniter/runner/context/env.go). The agent's PATH holds no Node.js, so dispatch
 * must run the charm's bin/node, which agent-path.ts puts into the unit's charm dir.
 */
export function hookPath(toolsDir: string): string {
  return `${toolsDir}:${agentPath()}`;
}

export function hookEnv(state: State, ctx: HookContext, simDir: string, toolsDir: string) {
  const unit = getUnit(state, ctx.unit);
  const charmDir = unitCharmDir(state, ctx.unit);
  const env: Record<string, string> = {
    JUJU_DISPATCH_PATH: ctx.kind === "action" ? `actions/${ctx.name}` : `hooks/${ctx.name}`,
    CHARM_DIR: charmDir,
    JUJU_CHARM_DIR: charmDir,
    JUJU_CONTEXT_ID: ctx.id,
    JUJU_HOOK_NAME: ctx.kind === "action" ? "" : ctx.name,
    JUJU_AGENT_SOCKET_ADDRESS: agentSocketPath(simDir),
    JUJU_AGENT_SOCKET_NETWORK: "unix",
    JUJU_UNIT_NAME: unit.name,
    JUJU_MODEL_UUID: state.model.uuid,
    JUJU_MODEL_NAME: state.model.name,
    JUJU_API_ADDRESSES: "10.0.0.1:17070",
    JUJU_SLA: "unsupported",
    JUJU_MACHINE_ID: unit.machine,
    JUJU_PRINCIPAL_UNIT: "",
    JUJU_AVAILABILITY_ZONE: "",
    JUJU_VERSION,
    CLOUD_API_VERSION: "",
    JUJU_CHARM_HTTP_PROXY: "",
    JUJU_CHARM_HTTPS_PROXY: "",
    JUJU_CHARM_FTP_PROXY: "",
    JUJU_CHARM_NO_PROXY: "",
  };
  if (ctx.relationId !== null) {
    const relation = getRelation(state, ctx.relationId);
    const key = relationKey(relation, unit.app);
    env["JUJU_RELATION"] = key.slice(0, key.lastIndexOf(":"));
    env["JUJU_RELATION_ID"] = key;
    env["JUJU_REMOTE_UNIT"] = ctx.remoteUnit;
    env["JUJU_REMOTE_APP"] = ctx.remoteApp;
    if (ctx.departingUnit !== "") env["JUJU_DEPARTING_UNIT"] = ctx.departingUnit;
  }
  if (ctx.kind === "action" && ctx.taskId !== null) {
    env["JUJU_ACTION_NAME"] = ctx.name;
    env["JUJU_ACTION_UUID"] = String(ctx.taskId);
    env["JUJU_ACTION_TAG"] = `action-${ctx.taskId}`;
  }
  env["APT_LISTCHANGES_FRONTEND"] = "none";
  env["DEBIAN_FRONTEND"] = "noninteractive";
  env["LANG"] = "C.UTF-8";
  env["TERM"] = "tmux-256color";
  env["PATH"] = hookPath(toolsDir);
  return env;
}
