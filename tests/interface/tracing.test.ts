// The tracing databags as Canonical's tracing library (tempo_coordinator_k8s.v0.tracing) writes
// them: TracingRequirerAppData and TracingProviderAppData, each field json.dumps'd under its key.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { otlpHttpEndpoint, requirerAppData } from "../../src/interface/tracing.ts";

const receiver = (name: string, url: string, type = "http") => ({ protocol: { name, type }, url });
const bag = (receivers: unknown) => ({ receivers: JSON.stringify(receivers) });

describe("tracing databags", () => {
  it("our request is json.dumps of the protocol list, byte for byte", () => {
    assert.deepEqual(requirerAppData(["otlp_http"]), { receivers: '["otlp_http"]' });
    assert.deepEqual(requirerAppData(["otlp_http", "otlp_grpc"]), {
      receivers: '["otlp_http", "otlp_grpc"]',
    });
  });

  it("reads the first otlp_http receiver's URL, as get_endpoint does, ignoring extra keys", () => {
    const published = bag([
      receiver("otlp_grpc", "tempo:4317", "grpc"),
      { ...receiver("otlp_http", "http://tempo:4318/"), extra: 1 },
      receiver("otlp_http", "http://other:4318"),
    ]);
    assert.deepEqual(otlpHttpEndpoint({ ...published, "ingress-address": "10.1.1.1" }), {
      kind: "ready",
      url: "http://tempo:4318",
    });
  });

  it("an empty databag is not ready yet, which is no problem", () => {
    assert.deepEqual(otlpHttpEndpoint({}), { kind: "not-ready" });
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ["not JSON", { receivers: "{nope" }, /receivers is not JSON/],
    ["not a list", bag({ url: "http://tempo:4318" }), /not a JSON list/],
    ["a receiver of another shape", bag([{ protocol: "otlp_http", url: "x" }]), /receivers\[0\]/],
    [
      "an unknown transport type",
      bag([receiver("otlp_http", "http://t", "udp")]),
      /receivers\[0\]/,
    ],
    [
      "no otlp_http receiver",
      bag([receiver("zipkin", "http://t:9411")]),
      /no otlp_http receiver among the 1/,
    ],
    [
      "a URL that is not http(s)",
      bag([receiver("otlp_http", "tempo:4318")]),
      /not http:\/\/ or https:\/\//,
    ],
    [
      "a URL that does not parse",
      bag([receiver("otlp_http", "http://[::1")]),
      /not http:\/\/ or https:\/\//,
    ],
  ];
  for (const [what, data, problem] of invalid) {
    it(`a provider databag with ${what} is invalid, with a problem naming it`, () => {
      const endpoint = otlpHttpEndpoint(data);
      assert.equal(endpoint.kind, "invalid");
      assert.match(endpoint.kind === "invalid" ? endpoint.problem : "", problem);
    });
  }
});
