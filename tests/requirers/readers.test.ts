import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LIBRARY_VERSIONS, pyJsonDumps, readProviderDatabag } from "./index.ts";
import type { Acceptance, LibraryVersion, RequirerView } from "./index.ts";
import { pki } from "./pki.ts";

const P = pki();
const OLD: LibraryVersion[] = ["v1", "v2", "v3"];
const NEW: LibraryVersion[] = ["v4", "charmlibs"];

function view(version: LibraryVersion, extra: Partial<RequirerView> = {}): RequirerView {
  return {
    version,
    ownCsrs: [
      { csr: P.unit.serverCsr, isCa: false, publicKeyPem: P.unit.publicKeyPem },
      { csr: P.unit.caCsr, isCa: true, publicKeyPem: P.unit.publicKeyPem },
    ],
    ...extra,
  };
}

type Entry = Record<string, unknown>;

/** An entry the way the v4/charmlibs provider writes it. */
function entry(csr: string, certificate: string, extra: Entry = {}): Entry {
  return {
    ca: P.ca.certificatePem.trim(),
    certificate_signing_request: csr,
    certificate,
    chain: [certificate, P.ca.certificatePem.trim()],
    ...extra,
  };
}

const serverEntry = (extra: Entry = {}): Entry => entry(P.unit.serverCsr, P.unit.serverCert, extra);
const caEntry = (extra: Entry = {}): Entry => entry(P.unit.caCsr, P.unit.caCert, extra);
const otherEntry = (extra: Entry = {}): Entry => entry(P.other.csr, P.other.cert, extra);

function bag(entries: Entry[], extra: Record<string, string> = {}): Record<string, string> {
  return { certificates: pyJsonDumps(entries), ...extra };
}

const acceptedCsrs = (a: Acceptance): string[] => a.accepted.map((c) => c.csr);
const reasonFor = (a: Acceptance, csr: string): string | undefined =>
  a.rejected.find((r) => r.csr === csr)?.reason;

describe("every library version", () => {
  for (const version of LIBRARY_VERSIONS) {
    it(`${version} accepts well-formed certificates for its own CSRs and ignores other units'`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([otherEntry(), serverEntry(), caEntry()]),
      );
      assert.equal(result.databagValid, true);
      assert.equal(result.error, undefined);
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr, P.unit.caCsr]);
      assert.deepEqual(result.pending, []);
      const server = result.accepted[0];
      assert.equal(server?.certificate, P.unit.serverCert);
      assert.equal(server?.ca, P.ca.certificatePem.trim());
      assert.deepEqual(server?.chain, [P.unit.serverCert, P.ca.certificatePem.trim()]);
    });

    it(`${version} leaves a request without an entry pending`, () => {
      const result = readProviderDatabag(view(version), bag([serverEntry()]));
      assert.deepEqual(result.pending, [P.unit.caCsr]);
    });

    it(`${version} does not hand over a revoked certificate but keeps the others`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ revoked: true }), caEntry()]),
      );
      assert.deepEqual(acceptedCsrs(result), [P.unit.caCsr]);
      assert.match(reasonFor(result, P.unit.serverCsr) ?? "", /revoked/);
    });

    it(`${version} keeps the last entry for a CSR that appears twice`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry(), serverEntry({ revoked: true })]),
      );
      assert.deepEqual(result.accepted, []);
      assert.match(reasonFor(result, P.unit.serverCsr) ?? "", /revoked/);
    });

    it(`${version} drops everything when an entry has no ca`, () => {
      const noCa = serverEntry();
      delete noCa["ca"];
      const result = readProviderDatabag(view(version), bag([noCa, caEntry()]));
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
      assert.deepEqual(result.pending, [P.unit.serverCsr, P.unit.caCsr]);
    });

    it(`${version} drops everything when certificates is not JSON`, () => {
      const result = readProviderDatabag(view(version), { certificates: "not json" });
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
    });
  }
});

describe("v1, v2 and v3 validate the whole databag with the JSON schema", () => {
  for (const version of OLD) {
    it(`${version}: revoked null hides every certificate`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ revoked: null }), caEntry()]),
      );
      assert.equal(result.databagValid, false);
    });

    it(`${version}: one entry without chain hides every certificate`, () => {
      const noChain = otherEntry();
      delete noChain["chain"];
      const result = readProviderDatabag(view(version), bag([noChain, serverEntry(), caEntry()]));
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
      assert.match(result.rejected[0]?.reason ?? "", /'chain' is a required property/);
    });

    it(`${version}: chain null hides every certificate`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ chain: null }), caEntry()]),
      );
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
    });

    it(`${version}: revoked "yes" hides every certificate`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([otherEntry({ revoked: "yes" }), serverEntry()]),
      );
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
    });

    it(`${version}: a databag without certificates fails the schema`, () => {
      const result = readProviderDatabag(view(version), {});
      assert.equal(result.databagValid, false);
      assert.match(result.rejected[0]?.reason ?? "", /'certificates' is a required property/);
    });

    it(`${version}: an empty list is valid`, () => {
      const result = readProviderDatabag(view(version), { certificates: "[]" });
      assert.equal(result.databagValid, true);
      assert.equal(result.pending.length, 2);
    });

    it(`${version}: unknown keys and request_errors in any shape are ignored`, () => {
      const errors = pyJsonDumps([{ certificate_signing_request: P.unit.caCsr, error: "nope" }]);
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ recommended_expiry_notification_time: null, extra: 1 })], {
          request_errors: errors,
        }),
      );
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });

    it(`${version}: a CSR with CRLF line endings is not the requirer's CSR`, () => {
      const crlf = P.unit.serverCsr.replace(/\n/g, "\r\n");
      const result = readProviderDatabag(view(version), bag([entry(crlf, P.unit.serverCert)]));
      assert.deepEqual(result.accepted, []);
      assert.deepEqual(result.pending, [P.unit.serverCsr, P.unit.caCsr]);
    });

    it(`${version}: a CSR echoed with a trailing newline is not the requirer's CSR`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([entry(P.unit.serverCsr + "\n", P.unit.serverCert)]),
      );
      assert.deepEqual(result.accepted, []);
    });

    it(`${version}: does not check the CA flag or the key of the certificate`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([
          entry(P.unit.serverCsr, P.unit.serverCsrSignedAsCa),
          entry(P.unit.caCsr, P.other.cert),
        ]),
      );
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr, P.unit.caCsr]);
    });
  }

  for (const version of ["v1", "v2"] as const) {
    it(`${version}: hands over a certificate that is not PEM at all`, () => {
      const result = readProviderDatabag(view(version), bag([entry(P.unit.serverCsr, "garbage")]));
      assert.equal(result.accepted[0]?.certificate, "garbage");
    });
  }

  it("v3: skips an entry whose certificate is not PEM and keeps the others", () => {
    const result = readProviderDatabag(
      view("v3"),
      bag([entry(P.unit.serverCsr, "garbage"), caEntry()]),
    );
    assert.deepEqual(acceptedCsrs(result), [P.unit.caCsr]);
    assert.match(reasonFor(result, P.unit.serverCsr) ?? "", /skipped/);
  });

  it("v3: an empty certificate is skipped", () => {
    const result = readProviderDatabag(view("v3"), bag([entry(P.unit.serverCsr, "")]));
    assert.deepEqual(result.accepted, []);
  });

  it("v3: recommended_expiry_notification_time as an integer or null is fine", () => {
    for (const value of [168, null, 0, -5]) {
      const result = readProviderDatabag(
        view("v3"),
        bag([serverEntry({ recommended_expiry_notification_time: value })]),
      );
      assert.equal(result.error, undefined, String(value));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    }
  });

  it("v3: a string recommended_expiry_notification_time crashes the requirer hook, even on another unit's entry", () => {
    const result = readProviderDatabag(
      view("v3"),
      bag([otherEntry({ recommended_expiry_notification_time: "24" }), serverEntry()]),
    );
    assert.match(result.error ?? "", /TypeError: bad operand type for abs\(\): 'str'/);
    assert.deepEqual(result.accepted, []);
  });

  it("v3: an absurd recommended_expiry_notification_time overflows", () => {
    const result = readProviderDatabag(
      view("v3"),
      bag([serverEntry({ recommended_expiry_notification_time: 1e12 })]),
    );
    assert.match(result.error ?? "", /OverflowError/);
  });

  it("v1 and v2 ignore recommended_expiry_notification_time whatever its type", () => {
    for (const version of ["v1", "v2"] as const) {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ recommended_expiry_notification_time: "24" })]),
      );
      assert.equal(result.error, undefined);
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    }
  });
});

describe("v4 and charmlibs validate with pydantic models", () => {
  for (const version of NEW) {
    it(`${version}: revoked null means not revoked`, () => {
      const result = readProviderDatabag(view(version), bag([serverEntry({ revoked: null })]));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });

    it(`${version}: chain is optional and may be null`, () => {
      const noChain = serverEntry();
      delete noChain["chain"];
      const result = readProviderDatabag(view(version), bag([noChain, caEntry({ chain: null })]));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr, P.unit.caCsr]);
      assert.deepEqual(result.accepted[0]?.chain, []);
    });

    it(`${version}: a databag without certificates is valid and empty`, () => {
      const result = readProviderDatabag(view(version), {});
      assert.equal(result.databagValid, true);
      assert.deepEqual(result.pending, [P.unit.serverCsr, P.unit.caCsr]);
    });

    it(`${version}: revoked "yes" is coerced to true, so that certificate is revoked`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ revoked: "yes" }), caEntry({ revoked: "no" })]),
      );
      assert.equal(result.databagValid, true);
      assert.deepEqual(acceptedCsrs(result), [P.unit.caCsr]);
      assert.match(reasonFor(result, P.unit.serverCsr) ?? "", /revoked/);
    });

    it(`${version}: revoked "maybe" invalidates the whole databag`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([otherEntry({ revoked: "maybe" }), serverEntry()]),
      );
      assert.equal(result.databagValid, false);
      assert.deepEqual(result.accepted, []);
    });

    it(`${version}: a chain item that is not a string invalidates the whole databag`, () => {
      const result = readProviderDatabag(view(version), bag([serverEntry({ chain: [1] })]));
      assert.equal(result.databagValid, false);
    });

    it(`${version}: a CSR with CRLF line endings and a trailing CRLF still matches`, () => {
      const crlf = P.unit.serverCsr.replace(/\n/g, "\r\n") + "\r\n";
      const result = readProviderDatabag(view(version), bag([entry(crlf, P.unit.serverCert)]));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });

    it(`${version}: a CSR re-wrapped at 76 columns still matches`, () => {
      const body = P.unit.serverCsr.split("\n").slice(1, -1).join("");
      const rewrapped = [
        "-----BEGIN CERTIFICATE REQUEST-----",
        ...(body.match(/.{1,76}/g) ?? []),
        "-----END CERTIFICATE REQUEST-----",
      ].join("\n");
      const result = readProviderDatabag(view(version), bag([entry(rewrapped, P.unit.serverCert)]));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });

    it(`${version}: rejects a CA certificate for a non-CA request`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([entry(P.unit.serverCsr, P.unit.serverCsrSignedAsCa)]),
      );
      assert.deepEqual(result.accepted, []);
      assert.equal(
        reasonFor(result, P.unit.serverCsr),
        "Non CA certificate requested, got a CA certificate, ignoring",
      );
    });

    it(`${version}: rejects a leaf certificate for a CA request`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([entry(P.unit.caCsr, P.unit.caCsrSignedAsLeaf)]),
      );
      assert.deepEqual(result.accepted, []);
      assert.equal(
        reasonFor(result, P.unit.caCsr),
        "CA certificate requested, got a non CA certificate, ignoring",
      );
    });

    it(`${version}: a certificate without BasicConstraints counts as non-CA`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([
          entry(P.unit.serverCsr, P.unit.serverCertNoBasicConstraints),
          entry(P.unit.caCsr, P.unit.serverCertNoBasicConstraints),
        ]),
      );
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
      assert.match(reasonFor(result, P.unit.caCsr) ?? "", /got a non CA certificate/);
    });

    it(`${version}: rejects a certificate for another key`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([entry(P.unit.serverCsr, P.other.cert)]),
      );
      assert.deepEqual(result.accepted, []);
      assert.match(reasonFor(result, P.unit.serverCsr) ?? "", /public key/);
    });

    it(`${version}: without a known key, only the CA flag is checked`, () => {
      const v: RequirerView = { version, ownCsrs: [{ csr: P.unit.serverCsr, isCa: false }] };
      const result = readProviderDatabag(v, bag([entry(P.unit.serverCsr, P.other.cert)]));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });

    for (const field of ["certificate", "ca", "certificate_signing_request"] as const) {
      it(`${version}: an unreadable ${field} PEM in any entry crashes the requirer hook`, () => {
        const result = readProviderDatabag(
          view(version),
          bag([otherEntry({ [field]: "not a PEM" }), serverEntry()]),
        );
        assert.match(result.error ?? "", /TLSCertificatesError/);
        assert.deepEqual(result.accepted, []);
      });
    }

    it(`${version}: an unreadable chain PEM crashes the requirer hook`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([
          serverEntry({
            chain: [
              P.unit.serverCert,
              "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
            ],
          }),
        ]),
      );
      assert.match(result.error ?? "", /TLSCertificatesError/);
    });

    it(`${version}: a string recommended_expiry_notification_time is ignored`, () => {
      const result = readProviderDatabag(
        view(version),
        bag([serverEntry({ recommended_expiry_notification_time: "24" })]),
      );
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    });
  }

  it("v4 up to LIBPATCH 24 compares stripped raw strings", () => {
    const old = view("v4", { libpatch: 24 });
    const crlf = P.unit.serverCsr.replace(/\n/g, "\r\n");
    assert.deepEqual(readProviderDatabag(old, bag([entry(crlf, P.unit.serverCert)])).accepted, []);
    const trailing = readProviderDatabag(
      old,
      bag([entry(P.unit.serverCsr + "\n", P.unit.serverCert)]),
    );
    assert.deepEqual(acceptedCsrs(trailing), [P.unit.serverCsr]);
  });

  it("v4 ≥ 25 hands over the certificate re-encoded canonically", () => {
    const crlfCert = P.unit.serverCert.replace(/\n/g, "\r\n") + "\r\n";
    const result = readProviderDatabag(view("v4"), bag([entry(P.unit.serverCsr, crlfCert)]));
    assert.equal(result.accepted[0]?.certificate, P.unit.serverCert);
  });
});

describe("request_errors", () => {
  const errorFor = (csr: string, extra: Entry = {}): Entry => ({
    csr,
    error: { code: 102, name: "domain_not_allowed", message: "domain not allowed", ...extra },
  });

  it("charmlibs reports a request error for its own CSR as denied", () => {
    const result = readProviderDatabag(
      view("charmlibs"),
      bag([serverEntry()], { request_errors: pyJsonDumps([errorFor(P.unit.caCsr)]) }),
    );
    assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    assert.equal(
      reasonFor(result, P.unit.caCsr),
      "certificate denied by the provider: 102 domain_not_allowed: domain not allowed",
    );
  });

  it("charmlibs: an item keyed certificate_signing_request (as the interface README says) hides every certificate", () => {
    const wrong = [
      {
        certificate_signing_request: P.unit.caCsr,
        error: { code: 999, name: "other", message: "m" },
      },
    ];
    const result = readProviderDatabag(
      view("charmlibs"),
      bag([serverEntry()], { request_errors: pyJsonDumps(wrong) }),
    );
    assert.equal(result.databagValid, false);
    assert.deepEqual(result.accepted, []);
  });

  it("charmlibs: an error without message hides every certificate", () => {
    const bad = [{ csr: P.unit.caCsr, error: { code: 999, name: "other" } }];
    const result = readProviderDatabag(
      view("charmlibs"),
      bag([serverEntry()], { request_errors: pyJsonDumps(bad) }),
    );
    assert.equal(result.databagValid, false);
  });

  it("charmlibs: a numeric-string code is coerced, a fractional one is not", () => {
    const ok = readProviderDatabag(
      view("charmlibs"),
      bag([serverEntry()], {
        request_errors: pyJsonDumps([errorFor(P.unit.caCsr, { code: "201" })]),
      }),
    );
    assert.equal(ok.databagValid, true);
    const bad = readProviderDatabag(
      view("charmlibs"),
      bag([serverEntry()], {
        request_errors: pyJsonDumps([errorFor(P.unit.caCsr, { code: 1.5 })]),
      }),
    );
    assert.equal(bad.databagValid, false);
  });

  it("charmlibs before 1.3 and v4 ignore request_errors", () => {
    const wrong = pyJsonDumps([{ certificate_signing_request: "x" }]);
    for (const v of [view("charmlibs", { charmlibsMinor: 2 }), view("v4")]) {
      const result = readProviderDatabag(v, bag([serverEntry()], { request_errors: wrong }));
      assert.deepEqual(acceptedCsrs(result), [P.unit.serverCsr]);
    }
  });

  it("charmlibs 1.10 rejects malformed capabilities, older ones ignore them", () => {
    const caps = pyJsonDumps({ supports_ip_sans: "perhaps" });
    assert.equal(
      readProviderDatabag(view("charmlibs"), bag([serverEntry()], { capabilities: caps }))
        .databagValid,
      false,
    );
    const old = readProviderDatabag(
      view("charmlibs", { charmlibsMinor: 9 }),
      bag([serverEntry()], { capabilities: caps }),
    );
    assert.deepEqual(acceptedCsrs(old), [P.unit.serverCsr]);
    const good = pyJsonDumps({ supports_ip_sans: false, allowed_domains: ["example.com"] });
    assert.equal(
      readProviderDatabag(view("charmlibs"), bag([serverEntry()], { capabilities: good }))
        .databagValid,
      true,
    );
  });
});
