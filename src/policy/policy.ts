// The signing policy as the rest of the code sees it once parsed: what each requirer
// application may be issued, and what happens to a request or certificate that breaks it.

/** warn: provide and say why; refuse: the provide actions refuse; reject: also tell requirers. */
export type Enforcement = "warn" | "refuse" | "reject";

/** One label of a DNS rule: literal text with `{app}` and `{unit}` where they were written. */
export type LabelTemplate = readonly (string | { readonly placeholder: "app" | "unit" })[];

/** A DNS rule: the exact name, `*.x` (one label before x) or `**.x` (one or more). */
export interface DnsPattern {
  /** As the operator wrote it, for messages. */
  readonly text: string;
  readonly kind: "exact" | "one" | "many";
  /** The labels after the wildcard, or the whole name for an exact rule. */
  readonly labels: readonly LabelTemplate[];
}

export interface IpRange {
  readonly text: string;
  /** 4 bytes for IPv4 (an IPv4-mapped IPv6 rule included), 16 for IPv6. */
  readonly network: Uint8Array;
  readonly prefix: number;
}

/** An exact address, or every address of one domain (`@example.com`). */
export interface EmailRule {
  readonly text: string;
  /** Normalised: the address, or the domain after `@`. */
  readonly value: string;
  readonly domainOnly: boolean;
}

export interface UriRule {
  readonly text: string;
  readonly value: string;
}

/** Minimum sizes of the key types allowed; an absent type is not allowed. */
export interface KeyRules {
  /** Minimum RSA modulus bits. */
  readonly rsa?: number;
  /** Minimum EC curve size: 256, 384 or 521. */
  readonly ec?: number;
  readonly ed25519: boolean;
  /** As the operator wrote it, for messages. */
  readonly text: string;
}

export interface ApplicationRules {
  /** The application name as written, or "*" for every application not named. */
  readonly name: string;
  /** Undefined: no DNS name may be asked for (the same for the other lists). */
  readonly dns: readonly DnsPattern[] | undefined;
  readonly denyDns: readonly DnsPattern[];
  readonly ip: readonly IpRange[] | undefined;
  readonly denyIp: readonly IpRange[];
  readonly email: readonly EmailRule[] | undefined;
  readonly denyEmail: readonly EmailRule[];
  readonly uri: readonly UriRule[] | undefined;
  readonly denyUri: readonly UriRule[];
  /** Literal `*.` names may be asked for (when a DNS rule covers them). */
  readonly wildcard: boolean;
  readonly ca: boolean;
  /** Undefined: every key the charm accepts. */
  readonly keys: KeyRules | undefined;
  /** Longest validity of a returned certificate, in seconds; undefined: no bound. */
  readonly maxValiditySeconds: number | undefined;
  readonly maxValidityText: string | undefined;
}

export interface SigningPolicy {
  readonly enforcement: Enforcement;
  readonly applications: ReadonlyMap<string, ApplicationRules>;
  /** The `"*"` entry: rules of every application not named. */
  readonly fallback: ApplicationRules | undefined;
}

/** Who asks: the requirer application and, outside app mode, its unit ("postgresql/0"). */
export interface Requester {
  readonly application: string;
  readonly unit: string | undefined;
}

/**
 * What a violation is about, which decides the request_errors code a requirer sees: DNS names,
 * IP addresses, wildcard names, or anything else (CA, key, validity, other name types).
 */
export type ViolationCategory = "dns" | "ip" | "wildcard" | "other";

export interface Violation {
  readonly category: ViolationCategory;
  /** Names the name and the rule: "DNS:evil.example.com is not allowed for postgresql (…)". */
  readonly message: string;
}

/** The rules of an application: its own entry, else `"*"`, else none (nothing is allowed). */
export function rulesFor(policy: SigningPolicy, application: string): ApplicationRules | undefined {
  return policy.applications.get(application) ?? policy.fallback;
}
