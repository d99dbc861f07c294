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

  it("reads UTCTime years 50 to 99 as 19xx and 00 to 49 as 20xx (RFC 5280 4.1.2.5.1)", () => {
    // openssl will not sign such dates on request, so the two UTCTimes of a real certificate are
    // rewritten; the signature no longer matters to a date reader.
    const der = Buffer.from(new X509Certificate(signCsr(makeCsr(), makeCa())).raw);
    const utcTime = Buffer.from([0x17, 0x0d]);
    const notBeforeAt = der.indexOf(utcTime);
    const notAfterAt = der.indexOf(utcTime, notBeforeAt + 2);
    assert.ok(notBeforeAt > 0 && notAfterAt > notBeforeAt);
    der.write("500101000000Z", notBeforeAt + 2, "latin1");
    der.write("491231235959Z", notAfterAt + 2, "latin1");
    const body = der.toString("base64").match(/.{1,64}/g) ?? [];
    const pem = ["-----BEGIN CERTIFICATE-----", ...body, "-----END CERTIFICATE-----"].join("\n");
    const read = certificateValidity(pem);
    assert.equal(read.notBefore.toISOString(), "1950-01-01T00:00:00.000Z");
    assert.equal(read.notAfter.toISOString(), "2049-12-31T23:59:59.000Z");
    const node = new X509Certificate(pem);
    assert.equal(read.notBefore.getTime(), new Date(node.validFrom).getTime());
    assert.equal(read.notAfter.getTime(), new Date(node.validTo).getTime());
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
