import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ActionInputError,
  MAX_DECODED_BYTES,
  decodeActionInput,
  decodeActionText,
  readActionCertificate,
  readActionCertificates,
  readActionCsr,
} from "../../src/x509/action-input.ts";
import { CERTIFICATE, CERTIFICATE_REQUEST } from "../../src/x509/pem.ts";
import { makeCa, makeCsr, sharedKey } from "./fixtures.ts";

const ca = makeCa();
const csr = makeCsr();
const b64 = (text: string): string => Buffer.from(text).toString("base64");

function fails(run: () => unknown, input: string, pattern: RegExp): ActionInputError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ActionInputError, `expected ActionInputError, got ${String(caught)}`);
  assert.equal(caught.input, input);
  assert.ok(caught.message.startsWith(`${input}: `), caught.message);
  assert.match(caught.message, pattern);
  return caught;
}

describe("decodeActionText", () => {
  test("decodes base64 -w0 of a PEM file", () => {
    assert.equal(decodeActionText("certificate", b64(ca.pem)), ca.pem);
  });

  test("decodes line-wrapped base64 with surrounding whitespace", () => {
    const wrapped = b64(ca.pem)
      .match(/.{1,76}/g)!
      .join("\n");
    assert.equal(decodeActionText("certificate", `\n ${wrapped}\r\n`), ca.pem);
  });

  test("takes plain PEM as it is, trimmed", () => {
    assert.equal(decodeActionText("certificate", `\n${ca.pem}\n`), ca.pem.trim());
  });

  test("refuses an empty input", () => {
    fails(() => decodeActionText("certificate", "  "), "certificate", /is empty/);
  });

  test("refuses text that is neither base64 nor PEM", () => {
    fails(
      () => decodeActionText("certificate", "not base64!"),
      "certificate",
      /not valid base64 or PEM/,
    );
    fails(
      () => decodeActionText("certificate", "QUJDRA="),
      "certificate",
      /not valid base64 or PEM/,
    );
  });

  test("refuses base64 of binary data such as DER", () => {
    const der = Buffer.from([0x30, 0x82, 0xff, 0xfe, 0x80, 0x81]).toString("base64");
    fails(() => decodeActionText("certificate", der), "certificate", /binary data, not PEM text/);
  });

  test("refuses base64 of text without a PEM block", () => {
    fails(
      () => decodeActionText("ca-certificate", b64("hello")),
      "ca-certificate",
      /holds no PEM block/,
    );
  });

  test("refuses inputs larger than the limit, stating it", () => {
    const big = "A".repeat(4 * Math.ceil(MAX_DECODED_BYTES / 3 + 4));
    fails(() => decodeActionText("ca-chain", big), "ca-chain", /larger than the 64 KiB limit/);
    const bigPem = `${ca.pem}\n`.repeat(Math.ceil(MAX_DECODED_BYTES / ca.pem.length) + 1);
    fails(() => decodeActionText("ca-chain", bigPem), "ca-chain", /64 KiB/);
    fails(() => decodeActionText("ca-chain", b64(bigPem)), "ca-chain", /64 KiB/);
    fails(() => decodeActionText("ca-chain", "A".repeat(10_000_000)), "ca-chain", /64 KiB/);
  });

  test("refuses a private key, plain or base64, without echoing it", () => {
    const key = sharedKey("rsa-2048");
    for (const value of [key, b64(key), b64(`${ca.pem}${key}`)]) {
      const error = fails(
        () => decodeActionText("ca-certificate", value),
        "ca-certificate",
        /^ca-certificate: holds a private key; refusing it \(it is not echoed or logged\)$/,
      );
      assert.ok(!error.message.includes(key.split("\n")[1]!.slice(0, 12)));
    }
  });
});

describe("readActionPem and friends", () => {
  test("read one certificate, one CSR, or a chain", () => {
    assert.equal(readActionCertificate("certificate", b64(ca.pem)).pem, ca.pem.trim());
    assert.equal(readActionCsr("certificate-signing-request", csr.pem).pem, csr.pem.trim());
    const other = makeCa();
    assert.equal(readActionCertificates("ca-chain", b64(`${ca.pem}${other.pem}`)).length, 2);
  });

  test("name the input when it holds several PEMs where one belongs", () => {
    fails(
      () => readActionCsr("certificate-signing-request", b64(`${csr.pem}${csr.pem}`)),
      "certificate-signing-request",
      /^certificate-signing-request: expected one PEM CERTIFICATE REQUEST, found 2$/,
    );
  });

  test("name the input when it holds the wrong kind of PEM", () => {
    fails(
      () => readActionCertificate("certificate", b64(csr.pem)),
      "certificate",
      /found a CERTIFICATE REQUEST/,
    );
    fails(
      () => readActionCsr("certificate-signing-request", ca.pem),
      "certificate-signing-request",
      /found a CERTIFICATE/,
    );
  });

  test("name the input when garbage follows the PEM", () => {
    fails(
      () => readActionCertificate("certificate", b64(`${ca.pem}oops`)),
      "certificate",
      /after the last block/,
    );
  });

  test("accept CRLF line endings", () => {
    assert.equal(
      readActionCertificate("certificate", b64(ca.pem.replace(/\n/g, "\r\n"))).pem,
      ca.pem.trim(),
    );
  });
});

describe("decodeActionInput", () => {
  test("returns the canonical PEM of one block, or of every block with many", () => {
    assert.equal(decodeActionInput("certificate", b64(ca.pem), CERTIFICATE), ca.pem.trim());
    const other = makeCa();
    assert.equal(
      decodeActionInput("ca-chain", b64(`${ca.pem}\r\n${other.pem}`), CERTIFICATE, { many: true }),
      `${ca.pem.trim()}\n${other.pem.trim()}`,
    );
  });

  test("refuses several blocks without many", () => {
    fails(
      () =>
        decodeActionInput(
          "certificate-signing-request",
          `${csr.pem}${csr.pem}`,
          CERTIFICATE_REQUEST,
        ),
      "certificate-signing-request",
      /found 2/,
    );
  });
});
