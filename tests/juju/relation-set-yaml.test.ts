import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { HookTools, ModelAccessError } from "../../src/juju/index.ts";
import { parseSettingsFile } from "../simulator/hook-tool/keyvalues.ts";
import { readAsYamlV2 } from "../simulator/hook-tool/yaml-v2-reader.ts";
import { fakeTools } from "./fake-tools.ts";

/** What relation-set stores for the settings our HookTools sends, read as yaml.v2 reads it. */
function storedBy(settings: Record<string, string>): Record<string, string> {
  const { runner, calls } = fakeTools(() => undefined);
  new HookTools(runner).relationSet(1, true, settings);
  const stdin = calls[0]?.stdin ?? "";
  return Object.fromEntries(parseSettingsFile(readAsYamlV2(stdin)));
}

// Characters yaml.v2 refuses raw (readerc.go), folds (scannerc.go read_line), or treats as
// breaks or marks, mixed with ones that need no care.
const awkward = fc.constantFrom(
  "\x7f",
  "\x80",
  "\x85",
  "\x9f",
  "\xa0",
  "\ufffe",
  "\uffff",
  "\ufeff",
  "\u2028",
  "\u2029",
  "\x00",
  "\x01",
  "\x1b",
  "\t",
  "\r",
  "\n",
  "\r\n",
  " ",
  '"',
  "\\",
  "'",
  ":",
  "#",
  "{",
  "}",
  "é",
  "€",
  "🔐",
  "\ud7ff",
  "\ue000",
  "\ufffd",
  "\u{10ffff}",
  "- ",
  "? ",
  "&a",
  "*a",
  "!!",
  "<<",
);
const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc
    .array(fc.oneof(awkward, fc.string({ maxLength: 3 })), { maxLength: 20 })
    .map((parts) => parts.join("")),
);
const key = text.filter((k) => k.length > 0 && k.length < 200);

describe("relation-set --file text is YAML that yaml.v2 reads back exactly", () => {
  it("round-trips arbitrary strings through the simulator's yaml.v2 reading", () => {
    fc.assert(
      fc.property(fc.dictionary(key, text, { maxKeys: 6 }), (settings) => {
        assert.deepEqual(storedBy({ ...settings }), { ...settings });
      }),
      { numRuns: 500 },
    );
  });

  for (const [name, char] of [
    ["DEL", "\x7f"],
    ["a C1 control", "\x9f"],
    ["NEL", "\x85"],
    ["U+FFFE", "\ufffe"],
    ["U+FFFF", "\uffff"],
    ["LS", "\u2028"],
    ["a BOM", "\ufeff"],
  ] as const) {
    it(`sends ${name} as a \\u escape, and it comes back unchanged`, () => {
      const value = `a${char}b`;
      const { runner, calls } = fakeTools(() => undefined);
      new HookTools(runner).relationSet(1, true, { k: value });
      assert.ok(!(calls[0]?.stdin ?? "").includes(char), "sent raw");
      assert.deepEqual(storedBy({ k: value }), { k: value });
    });
  }

  it("refuses a lone surrogate, which no UTF-8 (so no Juju) text can hold", () => {
    assert.throws(
      () => storedBy({ certificates: "ab\ud800c" }),
      (error: unknown) =>
        error instanceof ModelAccessError &&
        /certificates/.test(error.message) &&
        /lone UTF-16 surrogate/.test(error.message),
    );
  });

  it("refuses a key too long for a yaml.v2 implicit key", () => {
    assert.throws(
      () => storedBy({ ["k".repeat(1100)]: "v" }),
      (error: unknown) => error instanceof ModelAccessError && /1024/.test(error.message),
    );
  });
});
