// IP ranges in `ip` and `deny-ip` whose prefix ends inside a byte, where the last byte is compared
// under a mask (issue 26), and the range check held against Node's own net.BlockList.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BlockList } from "node:net";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { judged, policy } from "./helpers.ts";

interface Boundary {
  readonly range: string;
  readonly first: string;
  readonly last: string;
  /** The address just before the range, and the one just after it. */
  readonly below: string;
  readonly above: string;
}

// Each range's partial byte has bits set both inside and outside the prefix, so a mask that keeps
// the wrong bits (the low ones, or one too many or too few) moves at least one of the four edges.
const BOUNDARIES: readonly Boundary[] = [
  {
    range: "10.16.0.0/12",
    first: "10.16.0.0",
    last: "10.31.255.255",
    below: "10.15.255.255",
    above: "10.32.0.0",
  },
  {
    range: "192.168.16.0/20",
    first: "192.168.16.0",
    last: "192.168.31.255",
    below: "192.168.15.255",
    above: "192.168.32.0",
  },
  {
    range: "192.168.4.0/22",
    first: "192.168.4.0",
    last: "192.168.7.255",
    below: "192.168.3.255",
    above: "192.168.8.0",
  },
  {
    range: "172.16.5.96/27",
    first: "172.16.5.96",
    last: "172.16.5.127",
    below: "172.16.5.95",
    above: "172.16.5.128",
  },
  {
    range: "172.16.5.6/31",
    first: "172.16.5.6",
    last: "172.16.5.7",
    below: "172.16.5.5",
    above: "172.16.5.8",
  },
  {
    // 10.16.0.0/12 written as the IPv4-mapped range it is, the addresses mapped too.
    range: "::ffff:10.16.0.0/108",
    first: "::ffff:10.16.0.0",
    last: "::ffff:10.31.255.255",
    below: "::ffff:10.15.255.255",
    above: "::ffff:10.32.0.0",
  },
  {
    range: "2001:db8:1000::/36",
    first: "2001:db8:1000::",
    last: "2001:db8:1fff:ffff:ffff:ffff:ffff:ffff",
    below: "2001:db8:fff:ffff:ffff:ffff:ffff:ffff",
    above: "2001:db8:2000::",
  },
  {
    range: "2001:db8:0:18::/61",
    first: "2001:db8:0:18::",
    last: "2001:db8:0:1f:ffff:ffff:ffff:ffff",
    below: "2001:db8:0:17:ffff:ffff:ffff:ffff",
    above: "2001:db8:0:20::",
  },
  {
    range: "fd00::80/121",
    first: "fd00::80",
    last: "fd00::ff",
    below: "fd00::7f",
    above: "fd00::100",
  },
];

const OWNER = "postgresql";
const rules = (yaml: string) => policy(`applications: {${OWNER}: {${yaml}}}`);
const verdicts = (yaml: string, address: string) =>
  judged(rules(yaml), { sans: [`IP:${address}`] });

describe("an IP range whose prefix ends inside a byte", () => {
  for (const { range, first, last, below, above } of BOUNDARIES) {
    it(`ip: ${range} allows ${first} and ${last}, not ${below} or ${above}`, () => {
      const allow = `ip: [${JSON.stringify(range)}]`;
      for (const inside of [first, last]) assert.deepEqual(verdicts(allow, inside), [], inside);
      for (const outside of [below, above]) {
        assert.deepEqual(verdicts(allow, outside), [
          `IP:${outside} is not allowed for ${OWNER} (allowed: ${range})`,
        ]);
      }
    });

    it(`deny-ip: ${range} denies ${first} and ${last}, not ${below} or ${above}`, () => {
      const deny = `ip: ["0.0.0.0/0", "::/0"], deny-ip: [${JSON.stringify(range)}]`;
      for (const inside of [first, last]) {
        assert.deepEqual(verdicts(deny, inside), [
          `IP:${inside} is denied for ${OWNER} by deny-ip ${range}`,
        ]);
      }
      for (const outside of [below, above]) assert.deepEqual(verdicts(deny, outside), [], outside);
    });
  }

  it("the issue's cases: 10.16.0.0/12 refuses 10.0.0.1, and its deny catches 10.17.0.1", () => {
    assert.equal(verdicts('ip: ["10.16.0.0/12"]', "10.0.0.1").length, 1);
    assert.equal(verdicts('ip: ["0.0.0.0/0"], deny-ip: ["10.16.0.0/12"]', "10.17.0.1").length, 1);
  });
});

// The property: whether a policy allows (under `ip`) or denies (under `deny-ip`) an address is
// exactly whether net.BlockList puts the address in the range. Ranges and addresses are drawn
// together, the address near the range's prefix boundary, so most cases land on one side of a
// partial byte rather than far away.

type Family = "ipv4" | "ipv6";

interface Drawn {
  readonly family: Family;
  /** The range's network bits, masked to the prefix. */
  readonly network: Uint8Array;
  readonly prefix: number;
  /** An IPv4 range or address written as IPv4-mapped IPv6. */
  readonly rangeMapped: boolean;
  readonly address: Uint8Array;
  readonly addressFamily: Family;
  readonly addressForm: "plain" | "mapped-dotted" | "mapped-hex";
}

const widthOf = (family: Family) => (family === "ipv4" ? 32 : 128);

function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((byte, i) => {
    const kept = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & (0xff00 >> kept);
  });
}

const v4Text = (bytes: Uint8Array) => [...bytes].join(".");
const hexGroups = (bytes: Uint8Array) =>
  Array.from({ length: bytes.length / 2 }, (_, i) =>
    ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16),
  );
const v6Text = (bytes: Uint8Array) => hexGroups(bytes).join(":");

const drawn: fc.Arbitrary<Drawn> = fc
  .record({
    family: fc.constantFrom<Family>("ipv4", "ipv6"),
    networkBytes: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    prefixPick: fc.nat(),
    rangeMapped: fc.boolean(),
    hostBytes: fc.uint8Array({ minLength: 16, maxLength: 16 }),
    // Flip one bit within eight of the boundary (outside when it falls inside the prefix).
    flip: fc.option(fc.integer({ min: -8, max: 7 }), { freq: 2 }),
    otherFamily: fc.integer({ min: 0, max: 9 }),
    addressForm: fc.constantFrom("plain" as const, "mapped-dotted" as const, "mapped-hex" as const),
  })
  .map((r) => {
    const width = widthOf(r.family);
    const prefix = r.prefixPick % (width + 1);
    const length = width / 8;
    const network = masked(r.networkBytes.subarray(0, length), prefix);
    // One case in ten asks about an address of the other family.
    const addressFamily: Family =
      r.otherFamily === 0 ? (r.family === "ipv4" ? "ipv6" : "ipv4") : r.family;
    let address: Uint8Array;
    if (addressFamily !== r.family) {
      address = r.hostBytes.subarray(0, widthOf(addressFamily) / 8);
    } else {
      const hostMask = masked(new Uint8Array(length).fill(0xff), prefix);
      address = network.map((byte, i) => byte | (r.hostBytes[i]! & ~hostMask[i]! & 0xff));
      if (r.flip !== null) {
        const bit = prefix + r.flip;
        if (bit >= 0 && bit < width) address[bit >> 3]! ^= 0x80 >> (bit & 7);
      }
    }
    return {
      family: r.family,
      network,
      prefix,
      rangeMapped: r.family === "ipv4" && r.rangeMapped,
      address,
      addressFamily,
      addressForm: addressFamily === "ipv4" ? r.addressForm : "plain",
    };
  });

function rangeText(d: Drawn): { text: string; network: string; prefix: number; type: Family } {
  if (d.family === "ipv6") {
    const network = v6Text(d.network);
    return { text: `${network}/${d.prefix}`, network, prefix: d.prefix, type: "ipv6" };
  }
  if (d.rangeMapped) {
    const network = `::ffff:${v4Text(d.network)}`;
    return { text: `${network}/${96 + d.prefix}`, network, prefix: 96 + d.prefix, type: "ipv6" };
  }
  const network = v4Text(d.network);
  return { text: `${network}/${d.prefix}`, network, prefix: d.prefix, type: "ipv4" };
}

function addressText(d: Drawn): { text: string; type: Family } {
  if (d.addressFamily === "ipv6") return { text: v6Text(d.address), type: "ipv6" };
  switch (d.addressForm) {
    case "plain":
      return { text: v4Text(d.address), type: "ipv4" };
    case "mapped-dotted":
      return { text: `::ffff:${v4Text(d.address)}`, type: "ipv6" };
    case "mapped-hex":
      return { text: `::ffff:${hexGroups(d.address).join(":")}`, type: "ipv6" };
  }
}

const MAPPED_BLOCK = new BlockList();
MAPPED_BLOCK.addSubnet("::ffff:0:0", 96, "ipv6");

/**
 * net.BlockList's answer, except where the policy means something else on purpose: BlockList
 * matches an IPv4 address against an IPv6 subnet by its mapped form, so `::/0` or `::/80` would
 * take in every IPv4 address; the policy judges a mapped address as IPv4, which only an IPv4
 * rule (or one written IPv4-mapped) matches.
 */
function blockListContains(d: Drawn): boolean {
  const range = rangeText(d);
  const address = addressText(d);
  const addressIsV4 = address.type === "ipv4" || MAPPED_BLOCK.check(address.text, "ipv6");
  if (d.family === "ipv6" && addressIsV4) return false;
  const list = new BlockList();
  list.addSubnet(range.network, range.prefix, range.type);
  return list.check(address.text, address.type);
}

describe("IP ranges agree with net.BlockList", () => {
  it("ip allows, and deny-ip denies, exactly the addresses BlockList puts in the range", () => {
    let inside = 0;
    let partial = 0;
    fc.assert(
      fc.property(drawn, (d) => {
        const range = rangeText(d);
        const address = addressText(d).text;
        const contains = blockListContains(d);
        if (contains) inside++;
        if (d.prefix % 8 !== 0) partial++;
        const allowed = verdicts(`ip: [${JSON.stringify(range.text)}]`, address);
        assert.equal(allowed.length === 0, contains, `ip ${range.text} and ${address}`);
        const deny = `ip: ["0.0.0.0/0", "::/0"], deny-ip: [${JSON.stringify(range.text)}]`;
        const denied = verdicts(deny, address);
        assert.deepEqual(
          denied,
          contains ? [`IP:${address} is denied for ${OWNER} by deny-ip ${range.text}`] : [],
          `deny-ip ${range.text} and ${address}`,
        );
      }),
      { numRuns: 2000 },
    );
    // The generator is worth something only if both answers and partial bytes are common.
    assert.ok(inside > 400 && inside < 1600, `${inside} of 2000 inside`);
    assert.ok(partial > 1200, `${partial} of 2000 with a partial byte`);
  });
});

describe("the reference's table of IP rules", () => {
  const page = readFileSync(
    fileURLToPath(new URL("../../docs/reference/signing-policy.md", import.meta.url)),
    "utf8",
  );
  const section = page.slice(page.indexOf("### IP rules"));
  const rows = section
    .slice(0, section.indexOf("\n\n", section.indexOf("|")))
    .split("\n")
    .filter((line) => line.startsWith("| `"));
  // The addresses a cell names; a range in it (`10.16.0.0/12`, `/32`) is prose, not an example.
  const addresses = (cell: string) =>
    [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((text) => !text.includes("/"));

  it("has rows to check", () => assert.ok(rows.length >= 5, section.slice(0, 200)));

  for (const row of rows) {
    const [, rule, matches, misses] = row.split("|");
    const ruleText = /`([^`]+)`/.exec(rule!)![1]!;
    it(`${ruleText} matches and misses what the table says`, () => {
      const allow = `ip: [${JSON.stringify(ruleText)}]`;
      for (const address of addresses(matches!)) {
        assert.deepEqual(verdicts(allow, address), [], `${ruleText} should match ${address}`);
      }
      for (const address of addresses(misses!)) {
        assert.equal(verdicts(allow, address).length, 1, `${ruleText} should miss ${address}`);
      }
    });
  }
});
