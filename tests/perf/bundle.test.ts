// What every hook pays for at start-up: the modules the charm bundle evaluates before any
// handler runs. The ASN.1 library is for parsing certificates and must wait for an import().
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { charmBundleGraph, isAsn1Library, isTracingCode } from "../../bench/bundle-graph.ts";

describe("charm bundle start-up", () => {
  it("evaluates no ASN.1 module unless a handler imports it", async () => {
    const graph = await charmBundleGraph();
    assert.deepEqual([...graph.eager].filter(isAsn1Library), []);
    assert.ok([...graph.lazy].some(isAsn1Library), "the ASN.1 library is still bundled, lazily");
  });

  it("loads the provide-certificate checks lazily", async () => {
    const graph = await charmBundleGraph();
    assert.ok(graph.lazy.has("src/charm/actions/provide-certificate.ts"));
    assert.ok(!graph.eager.has("src/x509/validation.ts"));
  });

  it("evaluates no tracing code at start: without a tracing relation none is ever loaded", async () => {
    // src/charm/tracing.ts, which asks `relation-ids tracing`, is the only part every dispatch
    // evaluates; what it imports once a relation exists must sit behind import().
    const graph = await charmBundleGraph();
    assert.deepEqual([...graph.eager].filter(isTracingCode), []);
    assert.ok(graph.eager.has("src/charm/tracing.ts"));
    for (const lazy of ["src/charm/tracing-relation.ts", "src/tracing/export.ts"]) {
      assert.ok(graph.lazy.has(lazy), lazy);
    }
    assert.ok([...graph.lazy].some((input) => input.includes("node_modules/@opentelemetry/")));
  });

  it("loads no signing-policy code unless a policy is set: hooks and actions reach it only by import()", async () => {
    const graph = await charmBundleGraph();
    const isPolicyCode = (input: string): boolean =>
      input.startsWith("src/policy/") ||
      [
        "src/charm/policy/judge.ts",
        "src/charm/policy/refusals.ts",
        "src/charm/policy/document-cache.ts",
        "src/charm/policy/verdicts.ts",
        "src/x509/csr-facts.ts",
        "src/x509/certificate-facts.ts",
        "node_modules/yaml/",
      ].some((part) => input.startsWith(part));
    assert.ok([...graph.lazy].some((input) => input.startsWith("src/policy/")));
    // What every hook loads, and what each action loads before it looks at the config.
    const handlers = [
      "src/charm/reconcile.ts",
      ...[...graph.lazy].filter((input) => input.startsWith("src/charm/actions/")),
    ];
    for (const handler of handlers) {
      const loaded = await charmBundleGraph(handler);
      assert.deepEqual([...loaded.eager].filter(isPolicyCode), [], handler);
    }
  });
});
