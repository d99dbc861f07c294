import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePolicy, PolicyError } from "../../src/policy/parse.ts";
import { EXAMPLE } from "./helpers.ts";

/** The PolicyError message parsePolicy throws for this text. */
function problem(yaml: string): string {
  try {
    parsePolicy(yaml);
  } catch (error) {
    assert.ok(error instanceof PolicyError, String(error));
    return error.message;
  }
  assert.fail(`no error for ${yaml}`);
}

const dnsRule = (rule: string): string =>
  problem(`applications: {postgresql: {dns: ["db.example.com", ${JSON.stringify(rule)}]}}`);

describe("signing-policy parsing", () => {
  it('reads the issue\'s example: enforcement, named applications and the "*" entry', () => {
    const policy = parsePolicy(EXAMPLE);
    assert.equal(policy.enforcement, "refuse");
    const postgresql = policy.applications.get("postgresql")!;
    assert.deepEqual(
      postgresql.dns?.map((p) => [p.kind, p.text]),
      [
        ["exact", "db.example.com"],
        ["one", "*.db.example.com"],
        ["exact", "{unit}.pg.internal"],
      ],
    );
    assert.deepEqual(postgresql.keys, {
      rsa: 3072,
      ec: 256,
      ed25519: true,
      text: "RSA of at least 3072 bits, EC of at least 256 bits, Ed25519",
    });
    assert.equal(postgresql.maxValiditySeconds, 90 * 86_400);
    assert.equal(postgresql.wildcard, false);
    assert.equal(policy.fallback?.name, "*");
    assert.equal(policy.applications.has("*"), false);
  });

  it("defaults: enforcement refuse, no application, each list absent, wildcard and ca false", () => {
    const policy = parsePolicy("applications: {web: {}}");
    assert.equal(policy.enforcement, "refuse");
    const web = policy.applications.get("web")!;
    assert.equal(web.dns, undefined);
    assert.equal(web.ip, undefined);
    assert.deepEqual(web.denyDns, []);
    assert.equal(web.wildcard, false);
    assert.equal(web.ca, false);
    assert.equal(web.keys, undefined);
    assert.equal(parsePolicy("enforcement: warn").applications.size, 0);
  });

  it("names the path and the problem, as the issue shows", () => {
    assert.equal(
      dnsRule("f*o.example.com"),
      'signing-policy: applications.postgresql.dns[1]: "f*o.example.com": a wildcard must be a whole leftmost label',
    );
  });

  for (const rule of [
    "f*o.example.com",
    "*x.y",
    "*example.com",
    "a.*.example.com",
    "*.*.x",
    "***.x",
    "*",
    "**",
    "x.*",
  ]) {
    it(`refuses the partial or misplaced wildcard rule ${rule}`, () => {
      assert.match(dnsRule(rule), /a wildcard must be a whole leftmost label/);
    });
  }

  it("refuses a wildcard with nothing after it", () => {
    assert.match(dnsRule("*."), /a wildcard needs a domain after it/);
    assert.match(dnsRule("**."), /a wildcard needs a domain after it/);
  });

  for (const [rule, why] of [
    ["db.example.com.", /ends with a dot/],
    ["db..example.com", /has an empty label/],
    [".example.com", /has an empty label/],
    [" db.example.com", /holds whitespace/],
    ["db.example.com ", /holds whitespace/],
    ["db example.com", /holds whitespace/],
    ["", /is empty/],
    ["10.0.0.1", /is an IP address: put it under ip:/],
    ["a.b/c", /holds a character a DNS name cannot have/],
    ["a%2eb.example", /holds a character a DNS name cannot have/],
    ["user@example.com", /holds a character a DNS name cannot have/],
    ["{host}.example.com", /the only placeholders are \{app\} and \{unit\}/],
    ["{app.example.com", /the only placeholders are \{app\} and \{unit\}/],
  ] as const) {
    it(`refuses the DNS rule ${JSON.stringify(rule)}`, () => {
      assert.match(dnsRule(rule), why);
    });
  }

  it("normalises rules: lowercase and IDNA", () => {
    const policy = parsePolicy(
      'applications: {web: {dns: ["DB.Example.COM", "*.Bücher.example"]}}',
    );
    const [exact, wildcard] = policy.applications.get("web")!.dns!;
    assert.deepEqual(exact?.labels, [["db"], ["example"], ["com"]]);
    assert.deepEqual(wildcard?.labels, [["xn--bcher-kva"], ["example"]]);
  });

  for (const [field, value, why] of [
    ["ip", "10.0.0.1/8", /has bits set past its prefix length/],
    ["ip", "10.0.0.0/33", /prefix length that is not 0 to 32/],
    ["ip", "fd00::/129", /prefix length that is not 0 to 128/],
    ["ip", "10.0.0", /is not an IPv4 or IPv6 address/],
    ["deny-ip", "fe80::1%eth0", /is not an IPv4 or IPv6 address/],
    ["ip", "::ffff:0:0/64", /IPv4-mapped range shorter than \/96/],
    ["email", "not-an-address", /is not an address of the form user@domain/],
    ["email", "@exa mple.com", /holds whitespace/],
    ["deny-email", "a@b@c.example", /is not an address/],
    ["uri", "/relative/path", /is not an absolute URI/],
  ] as const) {
    it(`refuses ${field} rule ${value}`, () => {
      const message = problem(`applications: {web: {${field}: [${JSON.stringify(value)}]}}`);
      assert.match(message, new RegExp(`^signing-policy: applications\\.web\\.${field}\\[0\\]: `));
      assert.match(message, why);
    });
  }

  it("reads IPv6 and IPv4-mapped ranges; a mapped range is its IPv4 range", () => {
    const web = parsePolicy(
      'applications: {web: {ip: ["fd00::/8", "::ffff:10.0.0.0/104"]}}',
    ).applications.get("web")!;
    assert.deepEqual(
      web.ip?.map((range) => [range.network.length, range.prefix]),
      [
        [16, 8],
        [4, 8],
      ],
    );
  });

  for (const [yaml, why] of [
    ["enforcement: strict", /^signing-policy: enforcement: must be warn, refuse or reject$/],
    [
      "applications: {web: {deny_dns: []}}",
      /^signing-policy: applications\.web: unknown field "deny_dns"$/,
    ],
    ["colour: blue", /^signing-policy: unknown field "colour"$/],
    ["applications: {web: {dns: db.example.com}}", /applications\.web\.dns: must be a list$/],
    ["applications: {web: {dns: [1]}}", /applications\.web\.dns\[0\]: must be text$/],
    ["applications: {web: {wildcard: yes}}", /applications\.web\.wildcard: must be true or false$/],
    ["applications: {web: null}", /applications\.web: must be a mapping of rules/],
    ['applications: {"web/0": {}}', /applications\."web\/0": is not a Juju application name/],
    ["applications: {Web: {}}", /applications\.Web: is not a Juju application name/],
    ["applications: {web: {max-validity: 90}}", /max-validity: must be a duration such as 90d/],
    [
      "applications: {web: {max-validity: 90s}}",
      /"90s": must be a whole number of days, hours or minutes/,
    ],
    ["applications: {web: {max-validity: 0d}}", /"0d": must be a whole number/],
    [
      "applications: {web: {keys: {rsa: 1024}}}",
      /keys\.rsa: 1024: must be a minimum of 2048 to 4096/,
    ],
    [
      "applications: {web: {keys: {ec: 255}}}",
      /keys\.ec: 255: must be a curve size of 256, 384 or 521/,
    ],
    ["applications: {web: {keys: {dsa: 2048}}}", /keys: unknown field "dsa"/],
    ["- a list", /must be a YAML mapping/],
    ["# only a comment\n", /must be a YAML mapping/],
    ["applications: [", /^signing-policy: is not valid YAML: .* at line \d+, column \d+$/],
    ["enforcement: warn\nenforcement: reject\n", /is not valid YAML: Map keys must be unique/],
  ] as const) {
    it(`refuses ${JSON.stringify(yaml)}`, () => {
      assert.match(problem(yaml), why);
    });
  }

  it("reads max-validity in days, hours and minutes", () => {
    for (const [text, seconds] of [
      ["90d", 90 * 86_400],
      ["2160h", 2160 * 3_600],
      ["45m", 45 * 60],
    ] as const) {
      const web = parsePolicy(`applications: {web: {max-validity: ${text}}}`).applications.get(
        "web",
      );
      assert.equal(web?.maxValiditySeconds, seconds, text);
    }
  });

  it("keys: true takes the smallest size the charm accepts, false or absent allows none", () => {
    const web = parsePolicy("applications: {web: {keys: {rsa: true, ec: false}}}").applications.get(
      "web",
    )!;
    assert.equal(web.keys?.rsa, 2048);
    assert.equal(web.keys?.ec, undefined);
    assert.equal(web.keys?.ed25519, false);
  });
});
