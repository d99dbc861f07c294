import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseProvidedCertificates,
  serializeProvidedCertificates,
} from "../../src/interface/provided-certificates.ts";

const entry = {
  csr: "CSR",
  certificate: "CERT\n",
  ca: " CA",
  chain: ["CERT", "CA\n"],
  revoked: false,
};

describe("serializeProvidedCertificates", () => {
  it("writes the v4 key order with trimmed PEMs, as Python's json.dumps would", () => {
    assert.equal(
      serializeProvidedCertificates([entry]),
      '[{"ca": "CA", "certificate_signing_request": "CSR", "certificate": "CERT", "chain": ["CERT", "CA"]}]',
    );
  });

  it("adds revoked only when true", () => {
    assert.match(
      serializeProvidedCertificates([{ ...entry, revoked: true }]),
      /, "revoked": true}]$/,
    );
  });

  it("writes an empty list as []", () => {
    assert.equal(serializeProvidedCertificates([]), "[]");
  });
});

describe("parseProvidedCertificates", () => {
  it("round-trips what it writes", () => {
    const text = serializeProvidedCertificates([entry, { ...entry, csr: "CSR2", revoked: true }]);
    const parsed = parseProvidedCertificates({ certificates: text });
    assert.deepEqual(
      parsed.certificates.map((c) => [c.csr, c.revoked, c.chain]),
      [
        ["CSR", false, ["CERT", "CA"]],
        ["CSR2", true, ["CERT", "CA"]],
      ],
    );
  });

  it("fills a missing chain with the certificate and the CA, as v4 readers do", () => {
    const parsed = parseProvidedCertificates({
      certificates: JSON.stringify([
        { ca: "CA", certificate_signing_request: "C", certificate: "X" },
      ]),
    });
    assert.deepEqual(parsed.certificates[0]?.chain, ["X", "CA"]);
  });

  it("drops entries no requirer could read and reports them", () => {
    const parsed = parseProvidedCertificates({
      certificates: JSON.stringify([
        { ca: "CA" },
        { ca: "CA", certificate_signing_request: "C", certificate: "X", chain: null },
      ]),
    });
    assert.equal(parsed.certificates.length, 1);
    assert.equal(parsed.problems.length, 1);
  });
});
