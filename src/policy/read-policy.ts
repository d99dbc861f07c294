import * as z from "zod/mini";
import { readDnsPattern } from "./dns-patterns.ts";
import { readDuration } from "./duration.ts";
import { readEmailRule, readUriRule } from "./email-uri.ts";
import { readIpRange } from "./ip-ranges.ts";
import type {
  ApplicationRules,
  DnsPattern,
  EmailRule,
  Enforcement,
  IpRange,
  KeyRules,
  SigningPolicy,
  UriRule,
} from "./policy.ts";
import { policyError, type Path } from "./policy-error.ts";

// A signing policy's document (the YAML read as plain data) checked for shape with zod, then
// every rule read; the first problem becomes a PolicyError naming where it is and what is wrong:
// signing-policy: applications.postgresql.dns[1]: "f*o.example.com": a wildcard must be a whole leftmost label

const text = z.string({ error: "must be text" });
const list = z.array(text, { error: "must be a list" });
const flag = z.boolean({ error: "must be true or false" });
const size = z.union([z.int(), z.boolean()], { error: "must be a minimum size or true/false" });

const applicationShape = z.strictObject(
  {
    dns: z.optional(list),
    "deny-dns": z.optional(list),
    ip: z.optional(list),
    "deny-ip": z.optional(list),
    email: z.optional(list),
    "deny-email": z.optional(list),
    uri: z.optional(list),
    "deny-uri": z.optional(list),
    wildcard: z.optional(flag),
    ca: z.optional(flag),
    keys: z.optional(
      z.strictObject(
        { rsa: z.optional(size), ec: z.optional(size), ed25519: z.optional(flag) },
        { error: "must be a mapping of key types (rsa, ec, ed25519)" },
      ),
    ),
    "max-validity": z.optional(z.string({ error: "must be a duration such as 90d or 2160h" })),
  },
  { error: "must be a mapping of rules (dns, ip, email, uri, wildcard, ca, keys, ...)" },
);

const policyShape = z.strictObject(
  {
    enforcement: z.optional(
      z.enum(["warn", "refuse", "reject"], { error: "must be warn, refuse or reject" }),
    ),
    applications: z.optional(
      z.record(z.string(), applicationShape, {
        error: "must be a mapping of application names to their rules",
      }),
    ),
  },
  { error: "must be a YAML mapping with enforcement and applications" },
);

type ApplicationShape = z.infer<typeof applicationShape>;

// Juju's own rule for application names (juju/juju domain/application/service, applicationSnippet).
const APPLICATION_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;

/** The policy a document holds; throws PolicyError naming the first problem. */
export function policyFromDocument(raw: unknown): SigningPolicy {
  const parsed = z.safeParse(policyShape, raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const keys = issue !== undefined && "keys" in issue ? (issue.keys as string[]) : [];
    const path = (issue?.path ?? []).filter((part) => typeof part !== "symbol");
    if (keys.length > 0) throw policyError(path, `unknown field ${JSON.stringify(keys[0])}`);
    throw policyError(path, issue?.message ?? "is not a signing policy");
  }
  const applications = new Map<string, ApplicationRules>();
  let fallback: ApplicationRules | undefined;
  for (const [name, shape] of Object.entries(parsed.data.applications ?? {})) {
    const path = ["applications", name];
    if (name !== "*" && !APPLICATION_NAME.test(name)) {
      throw policyError(
        path,
        'is not a Juju application name (or "*" for every other application)',
      );
    }
    const rules = readRules(name, shape, path);
    if (name === "*") fallback = rules;
    else applications.set(name, rules);
  }
  const enforcement: Enforcement = parsed.data.enforcement ?? "refuse";
  return { enforcement, applications, fallback };
}

function readList<T, R>(
  values: readonly string[] | undefined,
  path: Path,
  read: (text: string) => ({ ok: true } & R) | { ok: false; problem: string },
  pick: (reading: { ok: true } & R) => T,
): T[] | undefined {
  return values?.map((value, i) => {
    const reading = read(value);
    if (!reading.ok)
      throw policyError([...path, i], `${JSON.stringify(value)}: ${reading.problem}`);
    return pick(reading);
  });
}

function readRules(name: string, shape: ApplicationShape, path: Path): ApplicationRules {
  const dns = (field: "dns" | "deny-dns"): DnsPattern[] | undefined =>
    readList(shape[field], [...path, field], readDnsPattern, (r) => r.pattern);
  const ip = (field: "ip" | "deny-ip"): IpRange[] | undefined =>
    readList(shape[field], [...path, field], readIpRange, (r) => r.range);
  const email = (field: "email" | "deny-email"): EmailRule[] | undefined =>
    readList(shape[field], [...path, field], readEmailRule, (r) => r.rule);
  const uri = (field: "uri" | "deny-uri"): UriRule[] | undefined =>
    readList(shape[field], [...path, field], readUriRule, (r) => r.rule);
  let maxValiditySeconds: number | undefined;
  const maxValidity = shape["max-validity"];
  if (maxValidity !== undefined) {
    const reading = readDuration(maxValidity);
    if (!reading.ok) {
      throw policyError(
        [...path, "max-validity"],
        `${JSON.stringify(maxValidity)}: ${reading.problem}`,
      );
    }
    maxValiditySeconds = reading.seconds;
  }
  return {
    name,
    dns: dns("dns"),
    denyDns: dns("deny-dns") ?? [],
    ip: ip("ip"),
    denyIp: ip("deny-ip") ?? [],
    email: email("email"),
    denyEmail: email("deny-email") ?? [],
    uri: uri("uri"),
    denyUri: uri("deny-uri") ?? [],
    wildcard: shape.wildcard ?? false,
    ca: shape.ca ?? false,
    keys: shape.keys === undefined ? undefined : readKeys(shape.keys, [...path, "keys"]),
    maxValiditySeconds,
    maxValidityText: maxValidity,
  };
}

const EC_SIZES = [256, 384, 521];

function readKeys(shape: NonNullable<ApplicationShape["keys"]>, path: Path): KeyRules {
  const rsa = shape.rsa;
  if (typeof rsa === "number" && (rsa < 2048 || rsa > 4096)) {
    throw policyError(
      [...path, "rsa"],
      `${rsa}: must be a minimum of 2048 to 4096 bits (the charm takes RSA keys of 2048 to 4096)`,
    );
  }
  const ec = shape.ec;
  if (typeof ec === "number" && !EC_SIZES.includes(ec)) {
    throw policyError([...path, "ec"], `${ec}: must be a curve size of 256, 384 or 521`);
  }
  const parts: string[] = [];
  const minimum = (value: number | boolean | undefined, smallest: number): number | undefined =>
    value === true ? smallest : typeof value === "number" ? value : undefined;
  const rules: KeyRules = {
    rsa: minimum(rsa, 2048),
    ec: minimum(ec, 256),
    ed25519: shape.ed25519 ?? false,
    text: "",
  };
  if (rules.rsa !== undefined) parts.push(`RSA of at least ${rules.rsa} bits`);
  if (rules.ec !== undefined) parts.push(`EC of at least ${rules.ec} bits`);
  if (rules.ed25519) parts.push("Ed25519");
  return { ...rules, text: parts.length === 0 ? "no key type" : parts.join(", ") };
}
