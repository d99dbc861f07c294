// Properties of the evaluation over generated policies and names (fast-check).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { evaluateAnswer, evaluateRequest } from "../../src/policy/evaluate.ts";
import { parsePolicy, PolicyError } from "../../src/policy/parse.ts";
import type { SigningPolicy } from "../../src/policy/policy.ts";
import type { AltName, KeyFacts } from "../../src/x509/facts.ts";
import { app, certificate, csr, policy, unit } from "./helpers.ts";

// "--" in the third and fourth places marks a label reserved for IDNA (RFC 5891 4.2.3.1): "xn--0"
// is an A-label that decodes to nothing, which the policy rightly refuses to read.
const label = fc
  .stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/)
  .filter((text) => text.slice(2, 4) !== "--");
const labels = (min: number, max: number) => fc.array(label, { minLength: min, maxLength: max });
// Names whose last label is numeric are IP addresses to a URL parser: keep one letter last.
const suffix = fc
  .tuple(labels(0, 2), fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/))
  .map(([a, b]) => [...a, b]);

const allows = (rule: string, name: string, extra = ""): boolean =>
  evaluateRequest(policy(`applications: {web: {dns: [${JSON.stringify(rule)}]${extra}}}`), {
    requester: unit("web/0"),
    isCa: false,
    csr: csr({ sans: [`DNS:${name}`] }),
  }).length === 0;

// Text a requirer or an operator might write, hostile included.
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(
    "*",
    "**",
    "*.",
    ".",
    "..",
    "{app}",
    "{unit}",
    "::",
    "::ffff:1.2.3.4",
    "1.2.3",
    "0x7f.1",
    "a%2eb",
    "xn--",
    "xn--zz",
    "\u0000",
    "ſ.com",
    "@",
    "a@",
    "http://[::1",
    "10.0.0.0/99",
  ),
  fc
    .array(fc.oneof(label, fc.constantFrom("*", "**", "{app}", "{unit}", "Ü", "")), {
      maxLength: 5,
    })
    .map((parts) => parts.join(".")),
);

const altNameArb: fc.Arbitrary<AltName> = fc.oneof(
  anyText.map((value) => ({ kind: "dns" as const, value })),
  anyText.map((value) => ({ kind: "ip" as const, value })),
  anyText.map((value) => ({ kind: "email" as const, value })),
  anyText.map((value) => ({ kind: "uri" as const, value })),
  anyText.map((value) => ({ kind: "other" as const, value })),
);

const keyArb: fc.Arbitrary<KeyFacts> = fc.record({
  kind: fc.constantFrom("rsa" as const, "ec" as const, "ed25519" as const, "other" as const),
  size: fc.option(fc.integer({ min: 0, max: 8192 }), { nil: undefined }),
  description: fc.string(),
});

/** A policy built from generated rules; undefined when parsing refused it (as it may). */
const policyArb: fc.Arbitrary<SigningPolicy | undefined> = fc
  .record({
    dns: fc.array(anyText, { maxLength: 3 }),
    denyDns: fc.array(anyText, { maxLength: 2 }),
    ip: fc.array(anyText, { maxLength: 2 }),
    email: fc.array(anyText, { maxLength: 2 }),
    uri: fc.array(anyText, { maxLength: 2 }),
    wildcard: fc.boolean(),
    fallback: fc.boolean(),
  })
  .map((r) => {
    const rules = JSON.stringify({
      dns: r.dns,
      "deny-dns": r.denyDns,
      ip: r.ip,
      email: r.email,
      uri: r.uri,
      wildcard: r.wildcard,
    });
    try {
      return parsePolicy(`applications: {${r.fallback ? '"*"' : "web"}: ${rules}}`);
    } catch (error) {
      assert.ok(error instanceof PolicyError, `parsePolicy threw ${String(error)}`);
      return undefined;
    }
  });

describe("signing-policy evaluation properties", () => {
  it("no policy and no name ever crash the evaluation; every violation has a message", () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.array(anyText, { maxLength: 3 }),
        fc.array(altNameArb, { maxLength: 6 }),
        keyArb,
        fc.boolean(),
        fc.option(fc.stringMatching(/^web\/\d$/), { nil: undefined }),
        (rules, commonNames, altNames, key, isCa, unitName) => {
          if (rules === undefined) return;
          const facts = {
            commonNames,
            subjectAltNameExtensions: 1,
            altNames,
            requestsCa: isCa,
            key,
          };
          const requester = unitName === undefined ? app("web") : unit(unitName);
          const request = { requester, isCa, csr: facts };
          const issued = { ...facts, isCa, notBefore: new Date(0), notAfter: new Date(1e12) };
          for (const found of [
            evaluateRequest(rules, request),
            evaluateAnswer(rules, request, issued),
          ]) {
            for (const violation of found) {
              assert.ok(violation.message.length > 0);
              assert.ok(["dns", "ip", "wildcard", "other"].includes(violation.category));
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("parsing any text either gives a policy or throws PolicyError", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyText, fc.json()), (text) => {
        try {
          parsePolicy(text);
        } catch (error) {
          assert.ok(error instanceof PolicyError, String(error));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a name allowed by a rule stays allowed written in upper case", () => {
    fc.assert(
      fc.property(labels(0, 2), suffix, fc.constantFrom("", "*.", "**."), (prefix, rest, kind) => {
        const rule = `${kind}${rest.join(".")}`;
        const name = [...prefix, ...rest].join(".");
        if (!allows(rule, name)) return;
        assert.ok(allows(rule, name.toUpperCase()), `${rule} allows ${name} but not in upper case`);
        assert.ok(allows(rule.toUpperCase(), name), `${rule} in upper case does not allow ${name}`);
      }),
      { numRuns: 300 },
    );
  });

  it("**.x allows a name exactly when it ends in .x after at least one label", () => {
    fc.assert(
      fc.property(suffix, labels(0, 3), fc.boolean(), (x, prefix, related) => {
        const name = related ? [...prefix, ...x] : prefix.length > 0 ? prefix : ["other"];
        const expected = name.length > x.length && name.slice(-x.length).join(".") === x.join(".");
        assert.equal(allows(`**.${x.join(".")}`, name.join(".")), expected, name.join("."));
      }),
      { numRuns: 300 },
    );
  });

  it("*.x allows a name exactly when one label precedes .x", () => {
    fc.assert(
      fc.property(suffix, labels(0, 3), fc.boolean(), (x, prefix, related) => {
        const name = related ? [...prefix, ...x] : prefix.length > 0 ? prefix : ["other"];
        const expected = name.length === x.length + 1 && name.slice(1).join(".") === x.join(".");
        assert.equal(allows(`*.${x.join(".")}`, name.join(".")), expected, name.join("."));
      }),
      { numRuns: 300 },
    );
  });

  it("a deny rule always wins over any allow rule for the names it matches", () => {
    fc.assert(
      fc.property(suffix, labels(1, 2), fc.constantFrom("", "*.", "**."), (x, prefix, kind) => {
        const name = [...prefix, ...x].join(".");
        const rules = policy(
          `applications: {web: {dns: ["**.${x.join(".")}", ${JSON.stringify(name)}], deny-dns: [${JSON.stringify(`${kind}${kind === "" ? name : x.join(".")}`)}]}}`,
        );
        const found = evaluateRequest(rules, {
          requester: unit("web/0"),
          isCa: false,
          csr: csr({ sans: [`DNS:${name}`] }),
        });
        const denyMatches = kind === "" || (kind === "*." ? prefix.length === 1 : true);
        assert.equal(found.length === 1 && /is denied/.test(found[0]!.message), denyMatches, name);
      }),
      { numRuns: 200 },
    );
  });

  it("a certificate whose names are the CSR's passes the subset check", () => {
    fc.assert(
      fc.property(fc.array(suffix, { minLength: 1, maxLength: 4 }), (names) => {
        const sans = names.map((name) => `DNS:${name.join(".")}`);
        const rules = policy('applications: {web: {dns: ["**.a", "**.b"]}}');
        const found = evaluateAnswer(
          rules,
          { requester: unit("web/0"), isCa: false, csr: csr({ sans }) },
          certificate({ sans: [...sans].reverse() }),
        );
        assert.ok(!found.some((v) => /did not ask for it/.test(v.message)));
      }),
      { numRuns: 100 },
    );
  });
});
