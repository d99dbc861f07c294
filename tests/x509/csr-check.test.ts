import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkRequestedCsr, locateCsrParts } from "../../src/x509/csr-check.ts";
import { CERTIFICATE_REQUEST, readOnePem, toPem } from "../../src/x509/pem.ts";
import {
  KEY_DESCRIPTIONS,
  SUPPORTED_KEY_TYPES,
  makeCa,
  makeCsr,
  publicKeyOf,
  sharedKey,
  type KeyType,
} from "./fixtures.ts";

const here = dirname(fileURLToPath(import.meta.url));
const csrDer = (pem: string): Buffer => readOnePem(pem, CERTIFICATE_REQUEST).der;

function reasonOf(text: string): string {
  const result = checkRequestedCsr(text);
  assert.equal(result.ok, false);
  return result.ok ? "" : result.reason;
}

describe("checkRequestedCsr", () => {
  for (const keyType of SUPPORTED_KEY_TYPES) {
    test(`accepts a ${KEY_DESCRIPTIONS[keyType]} CSR and returns its SubjectPublicKeyInfo`, () => {
      const key = sharedKey(keyType);
      const result = checkRequestedCsr(makeCsr({ key }).pem);
      assert.ok(result.ok);
      const expected = createPublicKey(publicKeyOf(key)).export({ format: "der", type: "spki" });
      assert.ok(result.publicKeyDer.equals(expected));
    });
  }

  test("accepts CRLF line endings and a CSR without SANs or subject", () => {
    assert.ok(checkRequestedCsr(makeCsr().pem.replace(/\n/g, "\r\n")).ok);
    assert.ok(checkRequestedCsr(makeCsr({ commonName: undefined }).pem).ok);
  });

  const refused: [KeyType, RegExp][] = [
    ["rsa-1024", /^CSR public key: RSA 1024 is too small/],
    ["ec-p521", /^CSR public key: EC P-521 is not a supported curve/],
    ["dsa-2048", /^CSR public key: DSA 2048 is not a supported key type/],
    ["ed448", /^CSR public key: Ed448 is not a supported key type/],
  ];
  for (const [keyType, pattern] of refused) {
    test(`refuses a ${KEY_DESCRIPTIONS[keyType]} CSR with the reason`, () => {
      assert.match(reasonOf(makeCsr({ keyType }).pem), pattern);
    });
  }

  test("refuses text that is not one PEM CSR", () => {
    assert.match(reasonOf(""), /^CSR text: is empty/);
    assert.match(reasonOf("garbage"), /^CSR text: holds no PEM block/);
    assert.match(reasonOf(makeCa().pem), /found a CERTIFICATE instead/);
    const csr = makeCsr().pem;
    assert.match(reasonOf(`${csr}${csr}`), /found 2/);
    assert.match(reasonOf(`${csr}x`), /after the last block/);
    assert.match(reasonOf(csr.replace(/^(-----BEGIN[^\n]*\n.{5})./m, "$1!")), /not valid base64/);
  });

  test("refuses a private key without quoting it", () => {
    const key = sharedKey("ec-p256");
    const reason = reasonOf(key);
    assert.match(reason, /holds a private key/);
    assert.ok(!reason.includes(key.split("\n")[1]!.slice(0, 12)));
  });

  test("refuses DER that is not a well-formed CertificationRequest", () => {
    const der = csrDer(makeCsr().pem);
    const cases: [Buffer, RegExp][] = [
      [der.subarray(0, der.length - 1), /runs past its container/],
      [Buffer.concat([der, Buffer.from([0, 0])]), /extra bytes/],
      [Buffer.from([0x30, 0x80, 0, 0]), /indefinite length/],
      [Buffer.from([0x02, 0x01, 0x00]), /CertificationRequest has tag 0x2/],
      [Buffer.from([0x30, 0x00]), /CertificationRequestInfo is missing/],
    ];
    for (const [bytes, pattern] of cases) {
      const reason = reasonOf(toPem(CERTIFICATE_REQUEST, bytes));
      assert.match(reason, /^CSR is not a well-formed PKCS#10 request: /);
      assert.match(reason, pattern);
    }
  });

  test("refuses a request whose key bytes do not load", () => {
    const der = Buffer.from(csrDer(makeCsr({ keyType: "ec-p256" }).pem));
    const spki = locateCsrParts(der).subjectPublicKeyInfo;
    // The last byte of the EC point's y coordinate: the point leaves the curve.
    const at = der.indexOf(spki) + spki.length - 1;
    der[at] = der[at]! ^ 0x01;
    assert.match(reasonOf(toPem(CERTIFICATE_REQUEST, der)), /^CSR public key cannot be loaded/);
  });

  test("costs little for 2,000 CSRs (prints the time; no assertion)", async (t) => {
    const samples = SUPPORTED_KEY_TYPES.flatMap((keyType) =>
      [0, 1, 2].map((n) =>
        makeCsr({
          key: sharedKey(keyType),
          commonName: `c${n}.example`,
          sans: ["DNS:a.example"],
        }).pem.trim(),
      ),
    );
    // Distinct texts (CRLF or LF, trailing newlines) so that no answer comes from the memo.
    const csrs = Array.from({ length: 2000 }, (_, i) => {
      const csr = samples[i % samples.length]!;
      const variant = Math.floor(i / samples.length);
      return (variant % 2 === 0 ? csr : csr.replace(/\n/g, "\r\n")) + "\n".repeat(variant >> 1);
    });
    assert.equal(new Set(csrs).size, csrs.length);
    for (const csr of samples) checkRequestedCsr(`${csr} `);
    const start = performance.now();
    let ok = 0;
    for (const csr of csrs) if (checkRequestedCsr(csr).ok) ok++;
    const elapsed = performance.now() - start;
    assert.equal(ok, csrs.length);
    t.diagnostic(`checkRequestedCsr: ${csrs.length} CSRs in ${elapsed.toFixed(1)} ms`);
    const again = performance.now();
    for (const csr of csrs) checkRequestedCsr(csr);
    t.diagnostic(
      `checkRequestedCsr: the same ${csrs.length} again in ${(performance.now() - again).toFixed(1)} ms`,
    );

    const loadStart = performance.now();
    const { parseCsr } = await import("../../src/x509/csr.ts");
    const loaded = performance.now();
    parseCsr(csrs[0]!);
    const used = performance.now();
    t.diagnostic(
      `parseCsr: first import ${(loaded - loadStart).toFixed(1)} ms, first call ${(used - loaded).toFixed(1)} ms`,
    );
  });
});

describe("the cheap check's modules", () => {
  test("import only node builtins and each other, never the ASN.1 packages", () => {
    const seen = new Set<string>();
    const visit = (path: string): void => {
      if (seen.has(path)) return;
      seen.add(path);
      const source = readFileSync(path, "utf8");
      for (const [, specifier] of source.matchAll(
        /(?:^|\n)\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/g,
      )) {
        if (specifier!.startsWith("node:")) continue;
        assert.ok(specifier!.startsWith("./"), `${path} imports ${specifier}`);
        visit(resolve(dirname(path), specifier!));
      }
    };
    visit(join(here, "../../src/x509/csr-check.ts"));
    assert.ok(seen.size >= 4);
  });
});
