// The unit agent's end of the hook tools: a unix socket that jujuc (hook-tool/jujuc.c) calls,
// answered in this process by runTool. Juju's uniter listens on <agent dir>/agent.socket
// (internal/worker/uniter/paths.go, newUnixSocket) and serves "Jujuc.Main" over net/rpc; only
// the transport differs here, not what a tool sees.
import { rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { runTool, StdinRequired, type ToolResponse } from "./hook-tool/run.ts";

const MAGIC = Buffer.from("JUJUC1");
/** cmd/jujuc/main.go's ErrNoStdinStr: the client sends the request again, with stdin. */
const NO_STDIN = "hook tool requires stdin, none supplied";

const servers = new Map<string, Promise<string>>();

export const agentSocketPath = (simDir: string): string => join(simDir, "agent.socket");

/**
 * Starts answering tool calls for the simulator in simDir, once per process. The server does not
 * keep the process alive: a test ends when its work does.
 */
export function serveAgentSocket(simDir: string): Promise<string> {
  const known = servers.get(simDir);
  if (known) return known;
  const path = agentSocketPath(simDir);
  const started = new Promise<string>((resolve, reject) => {
    // A socket file left by an earlier process on the same model (the CLI reopens it each run).
    rmSync(path, { force: true });
    const server: Server = createServer((socket) => serveConnection(socket, simDir));
    server.once("error", reject);
    server.listen(path, () => {
      server.unref();
      resolve(path);
    });
  });
  servers.set(simDir, started);
  return started;
}

interface Request {
  contextId: string;
  dir: string;
  name: string;
  stdin: Buffer | undefined;
  args: string[];
}

function serveConnection(socket: Socket, simDir: string): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const parsed = parseRequest(pending);
      if (parsed === "incomplete") return;
      if (parsed === "malformed") {
        socket.end(errorFrame("malformed request"));
        return;
      }
      pending = pending.subarray(parsed.size);
      socket.write(answer(simDir, parsed.request));
    }
  });
  socket.on("error", () => socket.destroy());
}

function answer(simDir: string, request: Request): Buffer {
  try {
    const response = runTool({
      dir: simDir,
      contextId: request.contextId,
      name: request.name,
      args: request.args,
      cwd: request.dir,
      stdin: () => {
        if (request.stdin === undefined) throw new StdinRequired();
        return request.stdin.toString("utf8");
      },
    });
    return responseFrame(response);
  } catch (error) {
    if (error instanceof StdinRequired) return errorFrame(NO_STDIN);
    return errorFrame(error instanceof Error ? error.message : String(error));
  }
}

function parseRequest(
  data: Buffer,
): { request: Request; size: number } | "incomplete" | "malformed" {
  if (data.length < MAGIC.length + 4) return "incomplete";
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) return "malformed";
  const count = data.readUInt32BE(MAGIC.length);
  if (count < 5) return "malformed";
  let offset = MAGIC.length + 4;
  const fields: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (data.length < offset + 4) return "incomplete";
    const length = data.readUInt32BE(offset);
    offset += 4;
    if (data.length < offset + length) return "incomplete";
    fields.push(data.subarray(offset, offset + length));
    offset += length;
  }
  const [contextId, dir, name, stdinSet, stdin, ...args] = fields as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    ...Buffer[],
  ];
  return {
    size: offset,
    request: {
      contextId: contextId.toString("utf8"),
      dir: dir.toString("utf8"),
      name: name.toString("utf8"),
      stdin: stdinSet.toString() === "1" ? Buffer.from(stdin) : undefined,
      args: args.map((arg) => arg.toString("utf8")),
    },
  };
}

const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
};

const field = (text: string): Buffer => {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([u32(bytes.length), bytes]);
};

function responseFrame(response: ToolResponse): Buffer {
  return Buffer.concat([
    u32(0),
    u32(response.code),
    field(response.stdout),
    field(response.stderr),
  ]);
}

function errorFrame(message: string): Buffer {
  return Buffer.concat([u32(1), field(message)]);
}
