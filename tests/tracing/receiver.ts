// A local OTLP/HTTP trace receiver on 127.0.0.1 for the tests, standing in for Tempo's
// receiver on port 4318. It decodes what arrives by the OTLP/JSON mapping of
// opentelemetry-proto's trace.proto (ids as hex, enums as numbers, 64-bit integers as strings
// or numbers, attribute values as AnyValue) and refuses anything else, as a collector would.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

const int64 = z
  .union([z.string().regex(/^\d+$/), z.number().int().nonnegative()])
  .transform(BigInt);
const hexId = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

const anyValue = z
  .object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([z.string().regex(/^-?\d+$/), z.number().int()]).optional(),
    doubleValue: z.number().optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length === 1, "an AnyValue holds exactly one value");

const keyValues = z
  .array(z.object({ key: z.string(), value: anyValue }).strict())
  .optional()
  .transform((list) => {
    const out: Record<string, string | number | boolean> = {};
    for (const { key, value } of list ?? []) {
      if (key in out) throw new Error(`attribute ${key} appears twice`);
      out[key] =
        value.stringValue ??
        value.boolValue ??
        (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue!);
    }
    return out;
  });

// Status codes of trace.proto: 0 UNSET, 1 OK, 2 ERROR.
const spanSchema = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  parentSpanId: z.union([hexId(8), z.literal("")]).optional(),
  name: z.string(),
  kind: z.number().int().min(0).max(5),
  startTimeUnixNano: int64,
  endTimeUnixNano: int64,
  attributes: keyValues,
  status: z.object({
    code: z.number().int().min(0).max(2).optional(),
    message: z.string().optional(),
  }),
});

const requestSchema = z
  .object({
    resourceSpans: z.array(
      z.object({
        resource: z.object({ attributes: keyValues }),
        scopeSpans: z.array(
          z.object({
            scope: z.object({ name: z.string() }).optional(),
            spans: z.array(spanSchema),
          }),
        ),
      }),
    ),
  })
  .strict();

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly status: { readonly code: number; readonly message: string | undefined };
}

/** One POST to /v1/traces, decoded: the resource of its spans and the spans. */
export interface ReceivedTrace {
  readonly contentType: string | undefined;
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  readonly spans: readonly ReceivedSpan[];
}

export function decodeOtlpJson(body: string): ReceivedTrace[] {
  const request = requestSchema.parse(JSON.parse(body));
  return request.resourceSpans.map((resourceSpans) => ({
    contentType: undefined,
    resource: resourceSpans.resource.attributes,
    spans: resourceSpans.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        name: span.name,
        startNs: span.startTimeUnixNano,
        endNs: span.endTimeUnixNano,
        attributes: span.attributes,
        status: { code: span.status.code ?? 0, message: span.status.message },
      })),
    ),
  }));
}

export type ReceiverMode =
  | { readonly kind: "accept" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "refuse"; readonly status: number };

export class TraceReceiver {
  readonly traces: ReceivedTrace[] = [];
  readonly problems: string[] = [];
  /** When each request arrived and when the client's connection closed, in Date.now() ms. */
  readonly requests: { readonly arrivedMs: number; closedMs: number | undefined }[] = [];
  mode: ReceiverMode = { kind: "accept" };
  private constructor(private readonly server: Server) {}

  static async start(): Promise<TraceReceiver> {
    const server = createServer();
    const receiver = new TraceReceiver(server);
    server.on("request", (request, response) => void receiver.handle(request, response));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, "close");
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const timing: { arrivedMs: number; closedMs: number | undefined } = {
      arrivedMs: Date.now(),
      closedMs: undefined,
    };
    this.requests.push(timing);
    request.socket.once("close", () => (timing.closedMs = Date.now()));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (request.method !== "POST" || request.url !== "/v1/traces") {
      this.problems.push(`${request.method} ${request.url}`);
      response.writeHead(404).end();
      return;
    }
    const contentType = request.headers["content-type"];
    try {
      for (const trace of decodeOtlpJson(body)) this.traces.push({ ...trace, contentType });
    } catch (error) {
      this.problems.push(`undecodable body (${contentType}): ${String(error)}`);
      response.writeHead(400).end();
      return;
    }
    const mode = this.mode;
    if (mode.kind === "slow") await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
    if (mode.kind === "refuse") {
      response.writeHead(mode.status, { "content-type": "application/json" }).end("{}");
      return;
    }
    if (!response.destroyed) {
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    }
  }
}

/** A 127.0.0.1 URL where nothing listens: a port that was free a moment ago. */
export async function refusedUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return `http://127.0.0.1:${port}`;
}
