import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_REQUESTS_PER_DATABAG,
  parseCertificateRequests,
} from "../../src/interface/certificate-requests.ts";

const csr = (n: number) =>
  `-----BEGIN CERTIFICATE REQUEST-----\nMII${n}\n-----END CERTIFICATE REQUEST-----`;
const bag = (value: unknown) => ({ certificate_signing_requests: JSON.stringify(value) });

describe("parseCertificateRequests", () => {
  it("reads v1 items without ca, v2+ items with ca true/false, and v4 items with ca null", () => {
    const parsed = parseCertificateRequests(
      bag([
        { certificate_signing_request: csr(1) },
        { certificate_signing_request: csr(2), ca: false },
        { certificate_signing_request: csr(3), ca: true },
        { certificate_signing_request: csr(4), ca: null },
      ]),
    );
    assert.deepEqual(
      parsed.requests.map((request) => request.isCa),
      [false, false, true, false],
    );
    assert.deepEqual(parsed.problems, []);
  });

  it("keeps the requirer's text exactly, only trimmed", () => {
    const text = `  ${csr(1).replace(/\n/g, "\r\n")}\r\n`;
    const parsed = parseCertificateRequests(bag([{ certificate_signing_request: text }]));
    assert.equal(parsed.requests[0]?.csr, text.trim());
  });

  it("skips a bad item and keeps the others", () => {
    const parsed = parseCertificateRequests(
      bag([
        { certificate_signing_request: 5 },
        "nonsense",
        { certificate_signing_request: csr(1), ca: "yes" },
        { certificate_signing_request: "   " },
        { certificate_signing_request: csr(2), extra: 1 },
      ]),
    );
    assert.deepEqual(
      parsed.requests.map((request) => request.csr),
      [csr(2)],
    );
    assert.equal(parsed.problems.length, 4);
  });

  it("reports a value that is not JSON or not a list and reads no requests from it", () => {
    assert.deepEqual(parseCertificateRequests({ certificate_signing_requests: "{" }).problems, [
      "certificate_signing_requests is not JSON",
    ]);
    assert.deepEqual(parseCertificateRequests(bag({ a: 1 })).problems, [
      "certificate_signing_requests is not a JSON list",
    ]);
  });

  it("reads nothing and reports nothing from a databag without requests", () => {
    assert.deepEqual(parseCertificateRequests({ "private-address": "10.0.0.1" }), {
      requests: [],
      problems: [],
      complete: true,
    });
  });

  it("drops duplicate CSRs in one databag", () => {
    const parsed = parseCertificateRequests(
      bag([{ certificate_signing_request: csr(1) }, { certificate_signing_request: csr(1) }]),
    );
    assert.equal(parsed.requests.length, 1);
  });

  it("reads at most the bound of items and says so", () => {
    const items = Array.from({ length: MAX_REQUESTS_PER_DATABAG + 3 }, (_, n) => ({
      certificate_signing_request: csr(n),
    }));
    const parsed = parseCertificateRequests(bag(items));
    assert.equal(parsed.requests.length, MAX_REQUESTS_PER_DATABAG);
    assert.equal(parsed.complete, false);
    assert.match(parsed.problems[0] ?? "", /only the first/);
  });
});
