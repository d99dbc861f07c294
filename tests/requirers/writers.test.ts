import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pyJsonDumps, requirerDatabag, writeCsrs } from "./index.ts";
import { validateDraft4 } from "./draft4.ts";
import { REQUIRER_SCHEMA_V1, REQUIRER_SCHEMA_V2_V3 } from "./schemas.ts";

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIC\n-----END CERTIFICATE REQUEST-----";

describe("requirer databag writers", () => {
  it("v1 writes only the CSR, stripped, with Python spacing", () => {
    assert.equal(
      writeCsrs("v1", [{ csr: CSR + "\n", isCa: true }]),
      '[{"certificate_signing_request": "-----BEGIN CERTIFICATE REQUEST-----\\nMIIC\\n-----END CERTIFICATE REQUEST-----"}]',
    );
  });

  it("v2 before LIBPATCH 19 writes no ca flag, from 19 on it does", () => {
    assert.doesNotMatch(writeCsrs("v2", [{ csr: CSR, isCa: false }], 18), /"ca"/);
    assert.match(writeCsrs("v2", [{ csr: CSR, isCa: false }], 19), /, "ca": false}]$/);
    assert.match(writeCsrs("v2", [{ csr: CSR, isCa: true }]), /, "ca": true}]$/);
  });

  for (const version of ["v3", "v4", "charmlibs"] as const) {
    it(`${version} writes the CSR then the ca flag`, () => {
      assert.equal(
        writeCsrs(version, [
          { csr: CSR, isCa: false },
          { csr: CSR, isCa: true },
        ]),
        `[{"certificate_signing_request": ${JSON.stringify(CSR)}, "ca": false}, {"certificate_signing_request": ${JSON.stringify(CSR)}, "ca": true}]`,
      );
    });
  }

  it("what v1 writes passes its own schema and what v2 writes passes the v2 schema", () => {
    const v1 = {
      certificate_signing_requests: JSON.parse(writeCsrs("v1", [{ csr: CSR, isCa: false }])),
    };
    assert.deepEqual(validateDraft4(REQUIRER_SCHEMA_V1, v1), []);
    const v2 = {
      certificate_signing_requests: JSON.parse(writeCsrs("v2", [{ csr: CSR, isCa: true }])),
    };
    assert.deepEqual(validateDraft4(REQUIRER_SCHEMA_V2_V3, v2), []);
    const nullCa = {
      certificate_signing_requests: [{ certificate_signing_request: CSR, ca: null }],
    };
    assert.match(
      validateDraft4(REQUIRER_SCHEMA_V2_V3, nullCa)[0] ?? "",
      /None is not of type 'boolean'/,
    );
  });

  it("v4 and charmlibs leave no key when there is nothing to request; v1–v3 write []", () => {
    assert.deepEqual(requirerDatabag("v4", []), {});
    assert.deepEqual(requirerDatabag("charmlibs", []), {});
    assert.deepEqual(requirerDatabag("v3", []), { certificate_signing_requests: "[]" });
  });
});

describe("pyJsonDumps", () => {
  it("uses Python's separators and escapes non-ASCII like ensure_ascii", () => {
    assert.equal(
      pyJsonDumps({ a: 1, b: [true, null, "é\u007f"] }),
      '{"a": 1, "b": [true, null, "\\u00e9\\u007f"]}',
    );
  });

  it("escapes astral characters as surrogate pairs", () => {
    assert.equal(pyJsonDumps("😀"), '"\\ud83d\\ude00"');
  });

  it("writes empty containers like Python", () => {
    assert.equal(pyJsonDumps([[], {}]), "[[], {}]");
  });
});
