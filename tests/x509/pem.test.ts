import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  CERTIFICATE,
  CERTIFICATE_REQUEST,
  PemError,
  parsePemBlocks,
  readOnePem,
  readPems,
  toPem,
  type PemErrorKind,
} from "../../src/x509/pem.ts";
import { makeCa, makeCsr, makeKey, sharedKey } from "./fixtures.ts";

const ca = makeCa();
const csr = makeCsr();
const key = sharedKey("ec-p256", "pasted");
const keyBody = key.split("\n")[1]!;

function throwsPem(run: () => unknown, kind: PemErrorKind, pattern?: RegExp): PemError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof PemError, `expected a PemError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  if (pattern !== undefined) assert.match(caught.message, pattern);
  return caught;
}

describe("toPem", () => {
  test("prints 64-column base64 between BEGIN and END lines, no trailing newline", () => {
    const pem = toPem("CERTIFICATE", Buffer.alloc(100, 7));
    const lines = pem.split("\n");
    assert.equal(lines[0], "-----BEGIN CERTIFICATE-----");
    assert.equal(lines.at(-1), "-----END CERTIFICATE-----");
    assert.equal(lines[1]!.length, 64);
    assert.ok(lines.slice(1, -1).every((l) => l.length <= 64));
    assert.ok(!pem.endsWith("\n"));
  });
});

describe("parsePemBlocks", () => {
  test("finds every block in order and gives canonical PEM and DER", () => {
    const blocks = parsePemBlocks(`${ca.pem}\n\n${csr.pem}`);
    assert.deepEqual(
      blocks.map((b) => b.label),
      [CERTIFICATE, CERTIFICATE_REQUEST],
    );
    assert.equal(blocks[0]!.pem, ca.pem.trim());
    assert.equal(blocks[1]!.pem, csr.pem.trim());
    assert.equal(toPem(CERTIFICATE, blocks[0]!.der), ca.pem.trim());
  });

  test("reads CRLF line endings, re-wrapped base64 and surrounding whitespace", () => {
    const body = ca.pem.trim().split("\n").slice(1, -1).join("");
    const rewrapped = `  \r\n-----BEGIN CERTIFICATE-----\r\n${body.match(/.{1,76}/g)!.join("\r\n")}\r\n-----END CERTIFICATE-----\r\n\r\n`;
    assert.equal(parsePemBlocks(rewrapped)[0]!.pem, ca.pem.trim());
    assert.equal(parsePemBlocks(ca.pem.replace(/\n/g, "\r\n"))[0]!.pem, ca.pem.trim());
  });

  test("canonicalises NEW CERTIFICATE REQUEST to CERTIFICATE REQUEST", () => {
    const old = csr.pem.replace(/CERTIFICATE REQUEST/g, "NEW CERTIFICATE REQUEST");
    const [block] = parsePemBlocks(old);
    assert.equal(block!.label, CERTIFICATE_REQUEST);
    assert.equal(block!.pem, csr.pem.trim());
  });

  test("refuses empty or blank text", () => {
    throwsPem(() => parsePemBlocks(""), "empty");
    throwsPem(() => parsePemBlocks(" \n\t"), "empty");
  });

  test("refuses text with no PEM block", () => {
    throwsPem(() => parsePemBlocks("hello world"), "no-pem", /no PEM block/);
  });

  test("refuses garbage before, between and after blocks, naming the line", () => {
    throwsPem(
      () => parsePemBlocks(`subject=CN=x\n${ca.pem}`),
      "garbage",
      /before the first block \(line 1\)/,
    );
    throwsPem(() => parsePemBlocks(`${ca.pem}trailing`), "garbage", /after the last block/);
    throwsPem(
      () => parsePemBlocks(`${ca.pem}between\n${ca.pem}`),
      "garbage",
      /between blocks 1 and 2/,
    );
  });

  test("refuses a BEGIN without END, an END without BEGIN and mismatched labels", () => {
    const lines = ca.pem.trim().split("\n");
    throwsPem(() => parsePemBlocks(lines.slice(0, -1).join("\n")), "malformed", /no END line/);
    throwsPem(() => parsePemBlocks(lines.slice(1).join("\n")), "malformed", /no BEGIN/);
    throwsPem(
      () => parsePemBlocks(ca.pem.replace("END CERTIFICATE", "END CERTIFICATE REQUEST")),
      "malformed",
      /ends with END CERTIFICATE REQUEST/,
    );
    throwsPem(
      () => parsePemBlocks(`${lines.slice(0, -1).join("\n")}\n${ca.pem}`),
      "malformed",
      /no END line/,
    );
  });

  test("refuses an odd label without echoing it", () => {
    const error = throwsPem(
      () => parsePemBlocks(ca.pem.replace(/CERTIFICATE/g, "secret value 1234")),
      "malformed",
      /BEGIN line with an unusual label \(line 1\)/,
    );
    assert.ok(!error.message.includes("secret"));
  });

  test("refuses a body that is not strict base64", () => {
    const lines = ca.pem.trim().split("\n");
    const bad = [lines[0], `${lines[1]!.slice(0, 10)}*${lines[1]!.slice(11)}`, ...lines.slice(2)];
    throwsPem(
      () => parsePemBlocks(bad.join("\n")),
      "bad-base64",
      /block 1 \(CERTIFICATE, line 1\)/,
    );
    throwsPem(
      () => parsePemBlocks("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"),
      "bad-base64",
    );
    throwsPem(
      () => parsePemBlocks("-----BEGIN CERTIFICATE-----\nQUJD=\n-----END CERTIFICATE-----"),
      "bad-base64",
    );
  });

  for (const label of [
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "OPENSSH PRIVATE KEY",
  ]) {
    test(`refuses a ${label} anywhere without quoting it`, () => {
      const pasted = key.replace(/PRIVATE KEY/g, label);
      for (const text of [pasted, `${ca.pem}${pasted}`, `${pasted}${csr.pem}`]) {
        const error = throwsPem(() => parsePemBlocks(text), "private-key", /private key/);
        assert.ok(!error.message.includes(keyBody.slice(0, 16)));
        assert.ok(!error.message.includes("BEGIN"));
      }
    });
  }

  test("refuses a private key even when its armour is broken", () => {
    throwsPem(() => parsePemBlocks(`-----BEGIN PRIVATE KEY-----\n${keyBody}`), "private-key");
  });
});

describe("readOnePem", () => {
  test("returns the single block of the expected label", () => {
    assert.equal(readOnePem(csr.pem, CERTIFICATE_REQUEST).pem, csr.pem.trim());
  });

  test("refuses a certificate where a CSR belongs and a CSR where a certificate belongs", () => {
    throwsPem(
      () => readOnePem(ca.pem, CERTIFICATE_REQUEST),
      "wrong-type",
      /expected one PEM CERTIFICATE REQUEST, found a CERTIFICATE instead/,
    );
    throwsPem(
      () => readOnePem(csr.pem, CERTIFICATE),
      "wrong-type",
      /expected one PEM CERTIFICATE, found a CERTIFICATE REQUEST/,
    );
  });

  test("refuses several blocks, counting them", () => {
    throwsPem(
      () => readOnePem(`${csr.pem}${csr.pem}`, CERTIFICATE_REQUEST),
      "count",
      /^expected one PEM CERTIFICATE REQUEST, found 2$/,
    );
    throwsPem(
      () => readOnePem(`${csr.pem}${ca.pem}`, CERTIFICATE_REQUEST),
      "count",
      /found 2 \(CERTIFICATE REQUEST, CERTIFICATE\)/,
    );
  });
});

describe("readOnePem on a single plain block (the shortcut every hook takes)", () => {
  // What the full scanner makes of a text: the DER of its one block of `label`, or a refusal.
  const viaScanner = (text: string, label: typeof CERTIFICATE_REQUEST): string => {
    try {
      const blocks = parsePemBlocks(text);
      const [only] = blocks;
      return blocks.length === 1 && only?.label === label ? only.der.toString("hex") : "refused";
    } catch {
      return "refused";
    }
  };
  const viaReadOnePem = (text: string): string => {
    try {
      return readOnePem(text, CERTIFICATE_REQUEST).der.toString("hex");
    } catch {
      return "refused";
    }
  };
  const base = csr.pem.trim();
  const edit = fc.record({
    at: fc.nat({ max: base.length }),
    cut: fc.nat({ max: 3 }),
    insert: fc.constantFrom(
      "",
      "-",
      "-----",
      "\n",
      " ",
      "\r\n",
      "=",
      "==",
      "A",
      "+",
      "/",
      "*",
      "PRIVATE KEY",
      "-----END CERTIFICATE REQUEST-----",
      "-----BEGIN CERTIFICATE REQUEST-----",
    ),
  });

  test("accepts and refuses exactly what the full scanner does, edit after edit", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 0, maxLength: 3 }), (edits) => {
        let text = base;
        for (const { at, cut, insert } of edits) {
          const where = Math.min(at, text.length);
          text = text.slice(0, where) + insert + text.slice(where + cut);
        }
        assert.equal(viaReadOnePem(text), viaScanner(text, CERTIFICATE_REQUEST));
      }),
      { numRuns: 2000 },
    );
  });

  test("reads the untouched block and a re-wrapped copy to the same DER", () => {
    const rewrapped = base.replace(/\n/g, "\r\n");
    assert.equal(viaReadOnePem(base), viaScanner(base, CERTIFICATE_REQUEST));
    assert.equal(viaReadOnePem(rewrapped), viaReadOnePem(base));
    assert.notEqual(viaReadOnePem(base), "refused");
  });
});

describe("readPems", () => {
  test("returns every block when all carry the label", () => {
    const other = makeCa({ key: makeKey("ed25519") });
    assert.equal(readPems(`${ca.pem}${other.pem}`, CERTIFICATE).length, 2);
  });

  test("refuses a block of another label among them", () => {
    throwsPem(
      () => readPems(`${ca.pem}${csr.pem}`, CERTIFICATE),
      "wrong-type",
      /found CERTIFICATE REQUEST among 2 blocks/,
    );
  });
});
