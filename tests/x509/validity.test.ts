import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { certificateValidity } from "../../src/x509/validity.ts";
import { makeCa, makeCsr, signCsr } from "./fixtures.ts";

describe("certificateValidity", () => {
  it("reads the same dates node's X509Certificate does, for UTCTime and GeneralizedTime", () => {
    const ca = makeCa();
    const dates = [
      { notBefore: new Date("2024-01-02T03:04:05Z"), notAfter: new Date("2026-12-31T23:59:59Z") },
      { notBefore: new Date("2025-06-01T00:00:00Z"), notAfter: new Date("2051-01-01T00:00:00Z") },
    ];
    for (const period of dates) {
      const pem = signCsr(makeCsr(), ca, period);
      const node = new X509Certificate(pem);
      const read = certificateValidity(pem);
      assert.equal(read.notBefore.getTime(), new Date(node.validFrom).getTime());
      assert.equal(read.notAfter.getTime(), new Date(node.validTo).getTime());
      assert.equal(read.notAfter.toISOString(), period.notAfter.toISOString());
    }
  });

  it("reads canonical PEM and other layouts (CRLF, trailing newline) alike", () => {
    const pem = signCsr(makeCsr(), makeCa()).trim();
    const expected = certificateValidity(pem).notAfter.getTime();
    for (const layout of [pem.replace(/\n/g, "\r\n"), `${pem}\n`, `  ${pem}`]) {
      assert.equal(certificateValidity(layout).notAfter.getTime(), expected);
    }
  });

  it("throws on text that is not a certificate", () => {
    assert.throws(() => certificateValidity(makeCsr().pem));
    assert.throws(() =>
      certificateValidity("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----"),
    );
  });
});
