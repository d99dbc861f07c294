import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cachedDocument, rememberDocument } from "../../src/charm/policy/document-cache.ts";
import { loadPolicy } from "../../src/charm/policy/signing-policy.ts";
import { HookTools, Model } from "../../src/juju/index.ts";

/** A unit whose config-get answers this. */
function unitWith(config: Record<string, unknown>): Model {
  const tools = new HookTools((tool) =>
    tool === "config-get"
      ? { exitCode: 0, stdout: JSON.stringify(config), stderr: "" }
      : { exitCode: 1, stdout: "", stderr: `ERROR no ${tool} here` },
  );
  return new Model(tools, { unitName: "tls-certificates-operator/0" });
}

const TEXT = 'enforcement: warn\napplications: {web: {dns: ["web.example.com"]}}\n';
const DOCUMENT = { enforcement: "warn", applications: { web: { dns: ["web.example.com"] } } };

describe("the signing policy's document kept in the charm directory", () => {
  it("gives back the document only for the same text", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-cache-"));
    assert.equal(cachedDocument(dir, TEXT), undefined);
    rememberDocument(dir, TEXT, DOCUMENT);
    assert.deepEqual(cachedDocument(dir, TEXT), DOCUMENT);
    assert.equal(cachedDocument(dir, `${TEXT}# changed\n`), undefined);
  });

  it("a corrupt file or a directory that cannot be written costs a re-read, never a failure", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-cache-"));
    writeFileSync(join(dir, ".signing-policy.json"), "{not json");
    assert.equal(cachedDocument(dir, TEXT), undefined);
    writeFileSync(join(dir, ".signing-policy.json"), "null");
    assert.equal(cachedDocument(dir, TEXT), undefined);
    assert.doesNotThrow(() => rememberDocument(join(dir, "missing"), TEXT, DOCUMENT));
  });

  it("loading a valid policy keeps its document; what is taken from there is checked again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-cache-charm-"));
    const state = await loadPolicy(unitWith({ "signing-policy": TEXT }), { dir, fresh: false });
    assert.equal(state.kind, "valid");
    const stored = JSON.parse(readFileSync(join(dir, ".signing-policy.json"), "utf8"));
    assert.deepEqual(stored.document, DOCUMENT);
    // A tampered document under the right digest is refused like any bad policy.
    const other = `${TEXT}# a text not read before\n`;
    rememberDocument(dir, other, { enforcement: "allow-all" });
    const tampered = await loadPolicy(unitWith({ "signing-policy": other }), { dir, fresh: false });
    assert.deepEqual(tampered, {
      kind: "invalid",
      problem: "signing-policy: enforcement: must be warn, refuse or reject",
    });
  });

  it("after upgrade-charm (fresh) the kept document is not trusted but read again and rewritten", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-cache-charm-"));
    const text = `${TEXT}# upgrade\n`;
    rememberDocument(dir, text, { enforcement: "allow-all" });
    const state = await loadPolicy(unitWith({ "signing-policy": text }), { dir, fresh: true });
    assert.equal(state.kind, "valid");
    assert.deepEqual(cachedDocument(dir, text), DOCUMENT);
  });

  it("an invalid policy is not kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-cache-charm-"));
    const state = await loadPolicy(unitWith({ "signing-policy": "enforcement: [" }), {
      dir,
      fresh: false,
    });
    assert.equal(state.kind, "invalid");
    assert.equal(cachedDocument(dir, "enforcement: ["), undefined);
  });
});
