import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import {
  V0_UNIT_KEYS,
  providerAppDataV1,
  providerUnitDataV0,
  requirerVersion,
} from "../../src/interface/certificate-transfer.ts";
import { makeCa } from "../x509/fixtures.ts";

const pems = [makeCa().pem.trim(), makeCa().pem.trim()];

/** The databags as the Python library writes them: every value through json.dumps. */
function pythonDatabags(certificates: readonly string[]): {
  v1: Record<string, string>;
  v0: Record<string, string>;
} {
  const script = [
    "import json, sys",
    "pems = json.loads(sys.stdin.read())",
    'v1 = {"certificates": json.dumps(pems), "version": json.dumps(1)}',
    'v0 = {"ca": json.dumps(pems[0]), "certificate": json.dumps(pems[0]),',
    '      "chain": json.dumps(pems), "version": json.dumps(0)} if pems else {}',
    'print(json.dumps({"v1": v1, "v0": v0}))',
  ].join("\n");
  const output = execFileSync("python3", ["-c", script], {
    input: JSON.stringify(certificates),
    encoding: "utf8",
  });
  return JSON.parse(output) as { v1: Record<string, string>; v0: Record<string, string> };
}

describe("certificate_transfer v1 provider data", () => {
  it("writes certificates and version exactly as json.dumps does, and nothing else", () => {
    const python = pythonDatabags(pems);
    assert.deepEqual(providerAppDataV1(pems), python.v1);
    assert.match(python.v1["certificates"] ?? "", /^\["-----BEGIN CERTIFICATE-----\\nMII/);
  });

  it("writes an empty set as [] so a v1 requirer sees no certificates", () => {
    assert.deepEqual(providerAppDataV1([]), { certificates: "[]", version: "1" });
    assert.deepEqual(providerAppDataV1([]), pythonDatabags([]).v1);
  });

  it("sends a repeated certificate once: the interface carries a set", () => {
    assert.deepEqual(providerAppDataV1([pems[0]!, pems[1]!, pems[0]!]), providerAppDataV1(pems));
  });
});

describe("certificate_transfer v0 provider data", () => {
  it("writes the first PEM as ca and certificate, all as chain, version 0, as json.dumps does", () => {
    const data = providerUnitDataV0(pems);
    assert.deepEqual(data, pythonDatabags(pems).v0);
    assert.equal(data["ca"], JSON.stringify(pems[0]));
    assert.deepEqual(Object.keys(data).sort(), [...V0_UNIT_KEYS].sort());
  });

  it("writes nothing for an empty set", () => {
    assert.deepEqual(providerUnitDataV0([]), {});
  });
});

describe("requirerVersion", () => {
  it("reads v1 only from the exact text 1", () => {
    assert.equal(requirerVersion({ version: "1" }), 1);
  });

  it("reads anything else, or nothing, as v0", () => {
    for (const version of ["0", "2", '"1"', " 1", "1.0", "", "true"]) {
      assert.equal(requirerVersion({ version }), 0, version);
    }
    assert.equal(requirerVersion({}), 0);
    assert.equal(requirerVersion({ certificates: "[]" }), 0);
  });
});
