import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { pythonJsonDumps, type PythonJsonValue } from "../../src/interface/python-json.ts";

const samples: PythonJsonValue[] = [
  [],
  {},
  [{ a: 1, b: [2, 3], c: null, d: true, e: false }],
  'line\nbreak\ttab "quote" back\\slash </script> &',
  "é ü — 😀 \u007f \u0001 \u2028",
  { ключ: "значение", nested: { list: ["x", { y: [] }] } },
  -12,
  0,
];

describe("pythonJsonDumps", () => {
  it("writes the bytes Python's json.dumps writes", () => {
    const script =
      "import json,sys\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line)))";
    const input = samples.map((sample) => JSON.stringify(sample)).join("\n") + "\n";
    const python = execFileSync("python3", ["-c", script], { input, encoding: "utf8" });
    assert.deepEqual(samples.map(pythonJsonDumps), python.trimEnd().split("\n"));
  });

  it("leaves out undefined members, as the entry shapes need", () => {
    assert.equal(pythonJsonDumps({ a: "x", b: undefined }), '{"a": "x"}');
  });

  it("refuses numbers JSON cannot hold", () => {
    assert.throws(() => pythonJsonDumps(Number.NaN), RangeError);
  });
});
