// The hook-tool client, bundled to build/hook-tool.mjs. Every tool in the simulator's tools dir
// is a symlink to one sh wrapper that runs: node hook-tool.mjs <tool-name> <args...>
import { readFileSync } from "node:fs";
import { runTool } from "./run.ts";

function main(): number {
  const [name = "", ...args] = process.argv.slice(2);
  const contextId = process.env["JUJU_CONTEXT_ID"];
  const dir = process.env["JUJU_AGENT_SOCKET_ADDRESS"];
  if (!contextId) {
    process.stderr.write("ERROR JUJU_CONTEXT_ID not set\n");
    return 1;
  }
  if (!dir) {
    process.stderr.write("ERROR JUJU_AGENT_SOCKET_ADDRESS not set\n");
    return 1;
  }
  let response;
  try {
    response = runTool({
      dir,
      contextId,
      name,
      args,
      cwd: process.cwd(),
      stdin: () => readFileSync(0, "utf8"),
    });
  } catch (error) {
    process.stderr.write(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(response.stdout);
  process.stderr.write(response.stderr);
  return response.code;
}

process.exitCode = main();
