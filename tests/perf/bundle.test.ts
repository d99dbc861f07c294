// What every hook pays for at start-up: the modules the charm bundle evaluates before any
// handler runs. The ASN.1 library is for parsing certificates and must wait for an import().
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { charmBundleGraph, isAsn1Library } from "../../bench/bundle-graph.ts";

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
});
