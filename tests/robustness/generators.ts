// What a careless or hostile requirer may leave in its databag, as fast-check arbitraries.
// Each value says whether the charm must log a warning about it.
import fc from "fast-check";
import { LIBRARY_VERSIONS, type LibraryVersion } from "../requirers/types.ts";
import { writeCsrs } from "../requirers/writers.ts";
import type { Bag } from "./memory-juju.ts";
import type { Pool } from "./pool.ts";

export const REQUESTS = "certificate_signing_requests";

export interface HostileBag {
  readonly bag: Bag;
  /** The charm must log a warning naming this databag's owner. */
  readonly warns: boolean;
  /** What kind of damage, for counting. */
  readonly kind: string;
  /** Good CSRs that stand in the databag beside the damage: each must still be listed. */
  readonly good: readonly string[];
}

const ONE_MIB = 1024 * 1024;

/** Keys other charms and Juju put in a databag; the charm must not mind them. */
export const unknownKeys: fc.Arbitrary<Bag> = fc.dictionary(
  fc.oneof(
    fc.constantFrom("egress-subnets", "ingress-address", "private-address", "ca", "certificates"),
    fc.string({ minLength: 1, maxLength: 12 }).filter((k) => k !== REQUESTS),
  ),
  fc.string({ maxLength: 40 }),
  { maxKeys: 3 },
);

/** Text that is not JSON at all. */
const notJson = fc.oneof(
  fc.constantFrom("[{", "None", "'[]'", "[{'certificate_signing_request': 'x'}]", "", "\u0000"),
  fc.string({ maxLength: 30 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/** JSON that is not a list: a number, an object, a string, a double-encoded list. */
const notAList = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).filter((v) => !Array.isArray(v)),
  fc.constant('[{"certificate_signing_request": "x"}]'),
);

/** Text that is odd in every way a string can be: lone surrogates, NUL, bidi, BOM. */
const oddText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom(
    "\ud800",
    "\udfff-----BEGIN CERTIFICATE REQUEST-----",
    "\u202e-----BEGIN CERTIFICATE REQUEST-----\nMII\u00e9\n-----END CERTIFICATE REQUEST-----",
    "\ufeff-----BEGIN CERTIFICATE REQUEST-----\n\u0000\n-----END CERTIFICATE REQUEST-----",
    "-----BEGIN CERTIFICATE REQUEST-----\n\u{1F4A9}\n-----END CERTIFICATE REQUEST-----",
    "\uFFFD\uFFFD\uFFFD",
  ),
);

/** One item of the list that no reader can use. Returns the JSON value of the item. */
function badItems(pool: Pool): fc.Arbitrary<unknown> {
  const csrLike = (body: string) =>
    `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----`;
  const goodBody = (pool.good[0]?.csr ?? "").split("\n").slice(1, -1).join("\n");
  return fc.oneof(
    fc.jsonValue({ maxDepth: 1 }).filter((v) => v === null || typeof v !== "object"),
    fc.constant([]),
    fc.record({
      certificate_signing_request: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)),
    }),
    fc.record({ csr: fc.constant(pool.good[0]?.csr ?? "") }),
    fc.record({
      certificate_signing_request: fc.constant(pool.good[1]?.csr ?? ""),
      ca: fc.constantFrom("true", 1, "yes"),
    }),
    fc.record({ certificate_signing_request: fc.constantFrom("", "   ", "\n\t") }),
    fc.record({ certificate_signing_request: oddText }),
    fc.record({ certificate_signing_request: fc.string({ minLength: 1, maxLength: 40 }) }),
    fc.record({ certificate_signing_request: fc.constantFrom(...Object.values(pool.unsupported)) }),
    fc.record({
      certificate_signing_request: fc.constantFrom(
        csrLike("not base64 at all!"),
        csrLike(goodBody.slice(0, Math.floor(goodBody.length / 2))), // truncated DER
        csrLike(goodBody.replace(/[A-Z]/, "*")),
        (pool.good[2]?.certificate ?? "").trim(), // a certificate where a CSR belongs
        csrLike("MAA="), // an empty SEQUENCE
      ),
    }),
  );
}

/** A hostile `certificate_signing_requests` databag and whether it must be logged. */
export function hostileBag(pool: Pool, validSpare: readonly string[]): fc.Arbitrary<HostileBag> {
  const withKeys = (
    value: fc.Arbitrary<{ value?: string; warns: boolean; kind: string; good?: string[] }>,
  ) =>
    fc.tuple(value, unknownKeys).map(([v, keys]) => ({
      bag: v.value === undefined ? keys : { ...keys, [REQUESTS]: v.value },
      warns: v.warns,
      kind: v.kind,
      good: v.good ?? [],
    }));
  const spare = fc.constantFrom(...validSpare);
  return withKeys(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant({ warns: false, kind: "unknown keys only" }) },
      { weight: 2, arbitrary: notJson.map((value) => ({ value, warns: true, kind: "not JSON" })) },
      {
        weight: 2,
        arbitrary: notAList.map((v) => ({
          value: JSON.stringify(v),
          warns: true,
          kind: "JSON, not a list",
        })),
      },
      {
        weight: 4,
        arbitrary: fc
          .tuple(fc.array(badItems(pool), { minLength: 1, maxLength: 6 }), fc.option(spare))
          .map(([items, valid]) => ({
            value: JSON.stringify(
              valid === null
                ? items
                : [...items, { certificate_signing_request: valid, ca: false }],
            ),
            warns: true,
            kind: valid === null ? "bad items" : "bad items beside a good one",
            good: valid === null ? [] : [valid],
          })),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom("x", "\u00e9", "A"), fc.boolean())
          .map(([c, inside]) => ({
            value: inside
              ? JSON.stringify([{ certificate_signing_request: c.repeat(ONE_MIB) }])
              : c.repeat(ONE_MIB),
            warns: true,
            kind: "1 MiB value",
          })),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.integer({ min: 2000, max: 6000 }), spare).map(([n, valid]) => ({
          value: JSON.stringify(
            Array.from({ length: n }, (_, i) =>
              i % 3 === 0
                ? { certificate_signing_request: valid }
                : { certificate_signing_request: i },
            ),
          ),
          warns: true,
          kind: "thousands of items",
          good: [valid],
        })),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(spare, fc.integer({ min: 2, max: 5 }), fc.constantFrom("", "\n", "\r\n", "  \n"))
          .map(([valid, times, pad]) => ({
            value: JSON.stringify(
              Array.from({ length: times }, (_, i) => ({
                certificate_signing_request: i % 2 === 0 ? valid : `${pad}${valid}${pad}`,
                ca: false,
              })),
            ),
            warns: false,
            kind: "duplicate CSRs",
            good: [valid],
          })),
      },
      {
        weight: 1,
        arbitrary: fc.constant({ value: "[]", warns: false, kind: "empty list" }),
      },
    ),
  );
}

/** A well-behaved requirer databag written by some library version. */
export function libraryBag(
  csrs: readonly { csr: string; isCa: boolean }[],
): fc.Arbitrary<{ bag: Bag; version: LibraryVersion }> {
  return fc.tuple(fc.constantFrom(...LIBRARY_VERSIONS), unknownKeys).map(([version, keys]) => ({
    bag: { ...keys, [REQUESTS]: writeCsrs(version, csrs) },
    version,
  }));
}
