// Every semantic of issue 18, numbered as there, and each pitfall by name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluateRequest } from "../../src/policy/evaluate.ts";
import {
  EC_256,
  EC_384,
  ED25519,
  EXAMPLE,
  RSA_2048,
  RSA_3072,
  app,
  judged,
  judgedAnswer,
  policy,
  unit,
} from "./helpers.ts";

const example = policy(EXAMPLE);
const pg = unit("postgresql/0");
const ok = (messages: readonly string[]) => assert.deepEqual(messages, []);

/** One application's rules, everything else default. */
const rules = (yaml: string) => policy(`applications: {postgresql: {${yaml}}}`);
const allowsDns = (rule: string, name: string, extra = ""): boolean =>
  judged(rules(`dns: [${JSON.stringify(rule)}]${extra}`), { sans: [`DNS:${name}`] }).length === 0;

describe("1. an application with no rules may be issued nothing", () => {
  it('not named and no "*": every request violates, saying so', () => {
    const only = policy('applications: {postgresql: {dns: ["db.example.com"]}}');
    assert.deepEqual(judged(only, { cn: "web.example.com" }, unit("web/0")), [
      'web has no rules in signing-policy (it is not named and there is no "*" entry): it may be issued nothing',
    ]);
    // Even a request with no name at all.
    assert.equal(judged(only, {}, unit("web/0")).length, 1);
  });

  it('with "*", an application not named gets its rules', () => {
    ok(judged(example, { sans: ["DNS:web.apps.example.com"] }, unit("web/0")));
    assert.deepEqual(judged(example, { sans: ["DNS:db.example.com"] }, unit("web/0")), [
      'DNS:db.example.com is not allowed for web (rules of "*") (allowed: {app}.apps.example.com)',
    ]);
  });

  it('a named application does not also get the "*" rules', () => {
    assert.equal(judged(example, { sans: ["DNS:postgresql.apps.example.com"] }).length, 1);
  });
});

describe("2. a name type with no allow list must be absent", () => {
  const dnsOnly = rules('dns: ["db.example.com"]');

  it("no ip: any IP SAN violates", () => {
    assert.deepEqual(judged(dnsOnly, { sans: ["IP:10.0.0.1"] }), [
      "IP:10.0.0.1 is not allowed for postgresql (no ip rule)",
    ]);
  });

  it("no email: any email SAN violates; email: exact address or @domain", () => {
    assert.equal(judged(dnsOnly, { sans: ["email:ops@example.com"] }).length, 1);
    const mail = rules('email: ["ops@example.com", "@mail.example.com"]');
    ok(judged(mail, { sans: ["email:ops@example.com", "email:anyone@mail.example.com"] }));
    assert.deepEqual(
      judged(mail, { sans: ["email:dev@example.com", "email:x@a.mail.example.com"] }),
      [
        "email:dev@example.com is not allowed for postgresql (allowed: ops@example.com, @mail.example.com)",
        "email:x@a.mail.example.com is not allowed for postgresql (allowed: ops@example.com, @mail.example.com)",
      ],
    );
  });

  it("no uri: any URI SAN violates; uri: exact", () => {
    assert.equal(judged(dnsOnly, { sans: ["URI:spiffe://example/db"] }).length, 1);
    const uris = rules('uri: ["spiffe://example/db"]');
    ok(judged(uris, { sans: ["URI:spiffe://example/db"] }));
    assert.equal(judged(uris, { sans: ["URI:spiffe://example/db/admin"] }).length, 1);
    assert.equal(judged(uris, { sans: ["URI:spiffe://example/d"] }).length, 1);
  });

  for (const other of [
    "otherName",
    "directoryName",
    "registeredID",
    "x400Address",
    "ediPartyName",
  ]) {
    it(`unknown SAN type ${other} always violates, whatever is allowed`, () => {
      const everything = rules(
        'dns: ["**.example.com"], ip: ["0.0.0.0/0", "::/0"], email: ["@example.com"], uri: ["https://example.com/"]',
      );
      assert.deepEqual(judged(everything, { sans: [other] }), [
        `${other} is a subjectAltName type no rule can allow (only DNS, IP, email and URI names)`,
      ]);
    });
  }
});

describe("3. rules and requested names are normalised the same way", () => {
  it("case: a rule and a name match whatever their case", () => {
    assert.ok(allowsDns("DB.Example.com", "db.example.COM"));
    assert.ok(allowsDns("*.Db.Example.com", "PG.DB.EXAMPLE.COM"));
  });

  it("IDNA: a Unicode rule matches the ASCII name and a Unicode CN", () => {
    assert.ok(allowsDns("bücher.example", "xn--bcher-kva.example"));
    assert.ok(allowsDns("xn--bcher-kva.example", "BÜCHER.example"));
    ok(judged(rules('dns: ["bücher.example"]'), { cn: "Bücher.example" }));
  });

  it("a trailing dot, an empty label or whitespace in a request is a violation", () => {
    const r = rules('dns: ["db.example.com"]');
    assert.deepEqual(
      judged(r, { sans: ["DNS:db.example.com.", "DNS:db..example.com", "DNS: db.example.com"] }),
      [
        "DNS:db.example.com. ends with a dot",
        "DNS:db..example.com has an empty label",
        "DNS: db.example.com holds whitespace",
      ],
    );
  });

  it("a name a URL parser would cut or decode is refused, never shortened into an allowed one", () => {
    const r = rules('dns: ["db.example.com"]');
    for (const name of [
      "db.example.com/evil",
      "db.example.com:443",
      "db%2eexample.com",
      "evil@db.example.com",
    ]) {
      assert.match(judged(r, { sans: [`DNS:${name}`] })[0] ?? "", /cannot have/, name);
    }
  });
});

describe("4. patterns are label-based, never substring globs", () => {
  it("an exact name matches only itself", () => {
    assert.ok(allowsDns("db.example.com", "db.example.com"));
    assert.ok(!allowsDns("db.example.com", "a.db.example.com"));
    assert.ok(!allowsDns("db.example.com", "example.com"));
    assert.ok(!allowsDns("example.com", "evilexample.com"));
    assert.ok(!allowsDns("example.com", "example.com.evil.net"));
  });

  it("*.x matches exactly one label before x: not x, not a.b.x", () => {
    assert.ok(allowsDns("*.db.example.com", "a.db.example.com"));
    assert.ok(!allowsDns("*.db.example.com", "db.example.com"));
    assert.ok(!allowsDns("*.db.example.com", "a.b.db.example.com"));
    assert.ok(!allowsDns("*.example.com", "evilexample.com"));
  });

  it("**.x matches one or more labels before x, never x itself", () => {
    assert.ok(allowsDns("**.example.com", "a.example.com"));
    assert.ok(allowsDns("**.example.com", "a.b.c.example.com"));
    assert.ok(!allowsDns("**.example.com", "example.com"));
    assert.ok(!allowsDns("**.example.com", "evilexample.com"));
    assert.ok(!allowsDns("**.example.com", "a.example.com.evil.net"));
  });

  it("a * anywhere else in a request name violates", () => {
    assert.deepEqual(judged(rules('dns: ["**.example.com"]'), { sans: ["DNS:f*o.example.com"] }), [
      "DNS:f*o.example.com has a wildcard that is not the whole leftmost label",
    ]);
  });
});

describe("5. deny lists are checked first and win", () => {
  it("deny-dns beats an allowing pattern", () => {
    assert.deepEqual(judged(example, { sans: ["DNS:admin.db.example.com"] }), [
      "DNS:admin.db.example.com is denied for postgresql by deny-dns admin.db.example.com",
    ]);
  });

  it("a wildcard request that would cover a denied name is denied", () => {
    const r = rules('dns: ["**.example.com"], deny-dns: ["admin.db.example.com"], wildcard: true');
    assert.deepEqual(judged(r, { sans: ["DNS:*.db.example.com"] }), [
      "DNS:*.db.example.com is denied for postgresql by deny-dns admin.db.example.com",
    ]);
    ok(judged(r, { sans: ["DNS:*.example.com"] }));
    const deepDeny = rules(
      'dns: ["**.example.com"], deny-dns: ["**.internal.example.com"], wildcard: true',
    );
    assert.equal(judged(deepDeny, { sans: ["DNS:*.a.internal.example.com"] }).length, 1);
    assert.equal(judged(deepDeny, { sans: ["DNS:*.internal.example.com"] }).length, 1);
  });

  it("deny-ip beats ip, deny-email beats email, deny-uri beats uri", () => {
    const r = rules(
      'ip: ["10.0.0.0/8"], deny-ip: ["10.0.0.1"], email: ["@example.com"], deny-email: ["root@example.com"], uri: ["https://example.com/a"], deny-uri: ["https://EXAMPLE.com/a"]',
    );
    assert.deepEqual(
      judged(r, { sans: ["IP:10.0.0.1", "email:ROOT@example.com", "URI:https://example.com/a"] }),
      [
        "IP:10.0.0.1 is denied for postgresql by deny-ip 10.0.0.1",
        "email:ROOT@example.com is denied for postgresql by deny-email root@example.com",
        "URI:https://example.com/a is denied for postgresql by deny-uri https://EXAMPLE.com/a",
      ],
    );
  });
});

describe("6. a literal wildcard name needs wildcard: true and a pattern that covers it", () => {
  it("wildcard: false (the default): the name violates as a wildcard", () => {
    const [violation] = evaluateRequest(rules('dns: ["*.db.example.com"]'), {
      requester: pg,
      isCa: false,
      csr: {
        commonNames: [],
        subjectAltNameExtensions: 1,
        altNames: [{ kind: "dns", value: "*.db.example.com" }],
        requestsCa: false,
        key: EC_256,
      },
    });
    assert.equal(violation?.category, "wildcard");
    assert.equal(
      violation?.message,
      "DNS:*.db.example.com is a wildcard name, and wildcard is not true for postgresql",
    );
  });

  it("wildcard: true with a covering pattern passes; with only exact names it does not", () => {
    assert.ok(allowsDns("*.db.example.com", "*.db.example.com", ", wildcard: true"));
    assert.ok(allowsDns("**.example.com", "*.db.example.com", ", wildcard: true"));
    assert.ok(!allowsDns("*.example.com", "*.db.example.com", ", wildcard: true"));
    assert.ok(!allowsDns("a.db.example.com", "*.db.example.com", ", wildcard: true"));
    assert.ok(!allowsDns("*.db.example.com", "*.db.example.com"));
  });
});

describe("7. IP addresses", () => {
  it("a DNS SAN that parses as an IP address violates", () => {
    const r = rules('dns: ["**.example.com"], ip: ["0.0.0.0/0"]');
    for (const name of ["10.0.0.1", "::1", "1.2.3", "0x7f.1", "a.1"]) {
      assert.match(
        judged(r, { sans: [`DNS:${name}`] })[0] ?? "",
        /is an IP address, not a DNS name/,
        name,
      );
    }
  });

  it("IPv4 and IPv6 match by CIDR", () => {
    ok(judged(example, { sans: ["IP:10.200.3.4", "IP:fd12::1"] }));
    assert.equal(judged(example, { sans: ["IP:11.0.0.1"] }).length, 1);
    assert.equal(judged(example, { sans: ["IP:fe80::1"] }).length, 1);
  });

  it("an IPv4-mapped IPv6 address is judged as IPv4", () => {
    ok(judged(example, { sans: ["IP:::ffff:10.1.2.3"] }));
    const v6Only = rules('ip: ["::/0"]');
    assert.equal(judged(v6Only, { sans: ["IP:::ffff:10.1.2.3"] }).length, 1);
    const denied = rules('ip: ["0.0.0.0/0", "::/0"], deny-ip: ["10.0.0.0/8"]');
    assert.deepEqual(judged(denied, { sans: ["IP:::ffff:10.1.2.3"] }), [
      "IP:::ffff:10.1.2.3 is denied for postgresql by deny-ip 10.0.0.0/8",
    ]);
  });
});

describe("8. the subject CN, and requests that cannot be judged", () => {
  it("an empty CN, or none, passes", () => {
    ok(judged(example, { cn: "", sans: ["DNS:db.example.com"] }));
    ok(judged(example, { sans: ["DNS:db.example.com"] }));
  });

  it("a CN passes as a DNS name or an IP address, or violates", () => {
    ok(judged(example, { cn: "db.example.com" }));
    ok(judged(example, { cn: "10.1.1.1" }));
    assert.deepEqual(judged(example, { cn: "evil.example.com" }), [
      "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
    ]);
    assert.deepEqual(judged(example, { cn: "192.168.0.1" }), [
      "CN=192.168.0.1 is not allowed for postgresql (allowed: 10.0.0.0/8, fd00::/8)",
    ]);
  });

  it("two CNs violate, and each is judged", () => {
    assert.deepEqual(judged(example, { cn: ["db.example.com", "evil.example.com"] }), [
      "the CSR has 2 common names; at most one is allowed",
      "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
    ]);
  });

  it("two subjectAltName extensions violate", () => {
    assert.deepEqual(judged(example, { sans: ["DNS:db.example.com"], sanExtensions: 2 }), [
      "the CSR has 2 subjectAltName extensions; at most one is allowed",
    ]);
  });

  it("a CSR that cannot be read violates (fail closed)", () => {
    assert.deepEqual(
      evaluateRequest(example, {
        requester: pg,
        isCa: false,
        csr: { unreadable: "truncated element" },
      }).map((v) => v.message),
      ["the CSR cannot be read to judge it (truncated element), so it is not allowed"],
    );
  });
});

describe("9. ca: false (the default)", () => {
  it("a request whose databag says is_ca violates", () => {
    assert.deepEqual(judged(example, { cn: "db.example.com" }, pg, true), [
      "the request asks for a CA certificate (its databag entry says ca: true), and ca is not true for postgresql",
    ]);
  });

  it("a CSR asking for basicConstraints CA:TRUE violates", () => {
    assert.equal(judged(example, { cn: "db.example.com", requestsCa: true }).length, 1);
  });

  it("ca: true allows both", () => {
    ok(judged(rules("ca: true"), { requestsCa: true }, pg, true));
  });
});

describe("10. keys", () => {
  it("each key type with its minimum", () => {
    ok(judged(example, { key: RSA_3072 }));
    ok(judged(example, { key: EC_384 }));
    ok(judged(example, { key: ED25519 }));
    assert.deepEqual(judged(example, { key: RSA_2048 }), [
      "key RSA 2048 is not allowed for postgresql (keys: RSA of at least 3072 bits, EC of at least 256 bits, Ed25519)",
    ]);
    const p384 = rules("keys: {ec: 384}");
    assert.equal(judged(p384, { key: EC_256 }).length, 1);
    ok(judged(p384, { key: EC_384 }));
  });

  it("a type not listed is not allowed; ed25519: false is not listed", () => {
    const rsaOnly = rules("keys: {rsa: 2048, ed25519: false}");
    assert.equal(judged(rsaOnly, { key: EC_256 }).length, 1);
    assert.equal(judged(rsaOnly, { key: ED25519 }).length, 1);
    assert.equal(
      judged(rsaOnly, { key: { kind: "other", size: undefined, description: "key 1.2.3" } }).length,
      1,
    );
  });

  it("omitted: every key the charm accepts", () => {
    const r = rules("ca: false");
    for (const key of [RSA_2048, EC_256, ED25519]) ok(judged(r, { key }));
  });
});

describe("11. max-validity is checked on the returned certificate", () => {
  const request = { cn: "db.example.com", key: EC_256 };

  it("longer than max-validity violates, the bound itself passes", () => {
    assert.deepEqual(
      judgedAnswer(example, request, { ...request, days: 91 }).map((v) => v.message),
      ["the certificate is valid for 91d, longer than max-validity 90d for postgresql"],
    );
    assert.deepEqual(judgedAnswer(example, request, { ...request, days: 90 }), []);
    const hours = rules('dns: ["db.example.com"], max-validity: 2160h');
    assert.equal(judgedAnswer(hours, request, { ...request, days: 91 }).length, 1);
    assert.deepEqual(judgedAnswer(hours, request, { ...request, days: 90 }), []);
  });

  it("there is nothing to check at request time", () => {
    ok(judged(example, request));
  });
});

describe("12. {app} and {unit}", () => {
  it("{unit} is the unit's name with / as -", () => {
    ok(judged(example, { sans: ["DNS:postgresql-0.pg.internal"] }, unit("postgresql/0")));
    assert.equal(
      judged(example, { sans: ["DNS:postgresql-1.pg.internal"] }, unit("postgresql/0")).length,
      1,
    );
  });

  it("{app} is the requirer application's name", () => {
    ok(judged(example, { sans: ["DNS:web.apps.example.com"] }, app("web")));
    assert.equal(judged(example, { sans: ["DNS:api.apps.example.com"] }, app("web")).length, 1);
  });

  it("in app mode a {unit} pattern matches nothing", () => {
    assert.equal(
      judged(example, { sans: ["DNS:postgresql-0.pg.internal"] }, app("postgresql")).length,
      1,
    );
    assert.equal(judged(example, { sans: ["DNS:-.pg.internal"] }, app("postgresql")).length, 1);
    assert.equal(judged(example, { sans: ["DNS:.pg.internal"] }, app("postgresql")).length, 1);
    const partial = rules('dns: ["db-{unit}.example.com"]');
    assert.equal(judged(partial, { sans: ["DNS:db-.example.com"] }, app("postgresql")).length, 1);
  });

  it("a placeholder may be part of a label", () => {
    const r = rules('dns: ["{unit}-db.example.com"]');
    ok(judged(r, { sans: ["DNS:postgresql-3-db.example.com"] }, unit("postgresql/3")));
  });
});

describe("13. every violation is reported, each naming the name and the rule", () => {
  it("the issue's message, and all of them at once", () => {
    const messages = judged(
      example,
      {
        cn: "evil.example.com",
        sans: ["DNS:evil.example.com", "IP:172.16.0.1", "email:a@b.example"],
        key: RSA_2048,
      },
      pg,
      true,
    );
    assert.deepEqual(messages, [
      "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
      "DNS:evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
      "IP:172.16.0.1 is not allowed for postgresql (allowed: 10.0.0.0/8, fd00::/8)",
      "email:a@b.example is not allowed for postgresql (no email rule)",
      "the request asks for a CA certificate (its databag entry says ca: true), and ca is not true for postgresql",
      "key RSA 2048 is not allowed for postgresql (keys: RSA of at least 3072 bits, EC of at least 256 bits, Ed25519)",
    ]);
  });

  it("each violation has the category that decides the requirer's error code", () => {
    const found = evaluateRequest(rules('dns: ["*.db.example.com"]'), {
      requester: pg,
      isCa: false,
      csr: {
        commonNames: [],
        subjectAltNameExtensions: 1,
        altNames: [
          { kind: "dns", value: "evil.example.com" },
          { kind: "ip", value: "1.1.1.1" },
          { kind: "dns", value: "*.db.example.com" },
          { kind: "uri", value: "https://x.example/" },
        ],
        requestsCa: false,
        key: EC_256,
      },
    });
    assert.deepEqual(
      found.map((v) => v.category),
      ["dns", "ip", "wildcard", "other"],
    );
  });
});

describe("the certificate handed back", () => {
  const request = { cn: "db.example.com", sans: ["DNS:db.example.com", "IP:10.0.0.5"] };

  it("a certificate with the CSR's names passes", () => {
    assert.deepEqual(judgedAnswer(example, request, request), []);
  });

  it("a name the CSR did not ask for is caught even when the policy allows it", () => {
    const added = { ...request, sans: [...request.sans, "DNS:x.db.example.com", "IP:10.0.0.6"] };
    assert.deepEqual(
      judgedAnswer(example, request, added).map((v) => [v.category, v.message]),
      [
        ["dns", "DNS:x.db.example.com is in the certificate but the CSR did not ask for it"],
        ["ip", "IP:10.0.0.6 is in the certificate but the CSR did not ask for it"],
      ],
    );
  });

  it("names compare normalised, and a CN may be one of the CSR's SANs", () => {
    const issued = { cn: "DB.example.com", sans: ["DNS:db.EXAMPLE.com", "IP:::ffff:10.0.0.5"] };
    assert.deepEqual(judgedAnswer(example, request, issued), []);
    assert.deepEqual(
      judgedAnswer(example, { sans: ["DNS:db.example.com"] }, { cn: "db.example.com" }),
      [],
    );
  });

  it("a name the policy does not allow is caught in the certificate too, once", () => {
    const evil = { cn: "evil.example.com" };
    assert.deepEqual(
      judgedAnswer(example, evil, evil).map((v) => v.message),
      [
        "CN=evil.example.com is not allowed for postgresql (allowed: db.example.com, *.db.example.com, {unit}.pg.internal)",
      ],
    );
  });

  it("a CA certificate for a request that did not ask for one violates under ca: false", () => {
    assert.deepEqual(
      judgedAnswer(example, request, { ...request, isCa: true }).map((v) => v.message),
      ["the certificate is a CA certificate (CA:TRUE), and ca is not true for postgresql"],
    );
  });

  it("the certificate's key is judged", () => {
    assert.equal(judgedAnswer(example, request, { ...request, key: RSA_2048 }).length, 1);
  });

  it("two CNs or two SAN extensions in the certificate violate", () => {
    assert.equal(judgedAnswer(example, request, { ...request, sanExtensions: 2 }).length, 1);
    assert.equal(
      judgedAnswer(example, request, { ...request, cn: ["db.example.com", "db.example.com"] })
        .length,
      1,
    );
  });
});
