import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BundleError, parseCertificateBundle } from "../../src/x509/bundle.ts";
import { CERTIFICATE, toPem } from "../../src/x509/pem.ts";
import { makeCa, makeCsr, sharedKey } from "./fixtures.ts";

const now = new Date();
const a = makeCa({ commonName: "Bundle A" });
const b = makeCa({ commonName: "Bundle B", keyType: "rsa-2048" });
const old = makeCa({
  commonName: "Bundle Old",
  notBefore: new Date("2020-01-01T00:00:00Z"),
  notAfter: new Date("2021-01-01T00:00:00Z"),
});

function fails(text: string, pattern: RegExp): BundleError {
  let caught: unknown;
  try {
    parseCertificateBundle(text, { now, input: "trusted-certificate-bundle" });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof BundleError, `expected BundleError, got ${String(caught)}`);
  assert.equal(caught.input, "trusted-certificate-bundle");
  assert.match(caught.message, /^trusted-certificate-bundle: /);
  assert.match(caught.message, pattern);
  return caught;
}

describe("parseCertificateBundle", () => {
  test("returns canonical PEMs in the order given", () => {
    const bundle = parseCertificateBundle(`${b.pem}\r\n\r\n${a.pem.replace(/\n/g, "\r\n")}`, {
      now,
    });
    assert.deepEqual(bundle.certificates, [b.pem.trim(), a.pem.trim()]);
    assert.deepEqual(
      bundle.entries.map((e) => e.subject),
      ["CN=Bundle B", "CN=Bundle A"],
    );
    assert.equal(bundle.duplicates, 0);
    assert.deepEqual(bundle.expired, []);
  });

  test("drops repeated certificates, keeping the first, and counts them", () => {
    const bundle = parseCertificateBundle(`${a.pem}${b.pem}${a.pem}`, { now });
    assert.deepEqual(bundle.certificates, [a.pem.trim(), b.pem.trim()]);
    assert.equal(bundle.duplicates, 1);
  });

  test("keeps expired certificates but reports them", () => {
    const bundle = parseCertificateBundle(`${a.pem}${old.pem}`, { now });
    assert.equal(bundle.certificates.length, 2);
    assert.deepEqual(
      bundle.expired.map((e) => [e.subject, e.notAfter.toISOString()]),
      [["CN=Bundle Old", "2021-01-01T00:00:00.000Z"]],
    );
  });

  test("refuses an empty bundle", () => {
    fails("", /is empty/);
    fails("\n \n", /is empty/);
  });

  test("refuses garbage around or between certificates", () => {
    fails(`# my roots\n${a.pem}`, /before the first block/);
    fails(`${a.pem}x${b.pem}`, /between blocks 1 and 2/);
  });

  test("refuses a block that is not a certificate", () => {
    fails(`${a.pem}${makeCsr().pem}`, /found CERTIFICATE REQUEST/);
  });

  test("refuses a private key without echoing it", () => {
    const key = sharedKey("ec-p256");
    const error = fails(`${a.pem}${key}`, /holds a private key/);
    assert.ok(!error.message.includes(key.split("\n")[1]!.slice(0, 12)));
  });

  test("refuses a CERTIFICATE block that does not hold a certificate", () => {
    fails(
      `${a.pem}${toPem(CERTIFICATE, Buffer.from([0x30, 0x00]))}`,
      /certificate 2 of 2 is not a well-formed/,
    );
  });
});
