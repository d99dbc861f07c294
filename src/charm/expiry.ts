import type { ProvidedCertificate } from "../interface/provided-certificates.ts";

export interface IssuedTo {
  readonly certificate: ProvidedCertificate;
  /** The unit that asked, or the application for an app-level request. */
  readonly holder: string;
}

/** A current certificate's end, in seconds since the epoch as kept, and who holds it. */
export type Expiry = readonly [notAfter: number, holder: string];

interface Dated {
  readonly holder: string;
  readonly notAfter: Date;
}

export interface ExpirySummary {
  readonly expired: readonly Dated[];
  readonly expiring: readonly Dated[];
}

const DAY_MS = 86_400_000;

/** Certificates already expired, and those expiring within the window, soonest first. */
export function summarizeExpiry(
  expiries: readonly Expiry[],
  warningDays: number,
  now: Date,
): ExpirySummary {
  const expired: Dated[] = [];
  const expiring: Dated[] = [];
  for (const [seconds, holder] of expiries) {
    const notAfter = new Date(seconds * 1000);
    if (notAfter.getTime() <= now.getTime()) expired.push({ holder, notAfter });
    else if (notAfter.getTime() - now.getTime() <= warningDays * DAY_MS) {
      expiring.push({ holder, notAfter });
    }
  }
  const soonestFirst = (a: Dated, b: Dated) =>
    a.notAfter.getTime() - b.notAfter.getTime() ||
    (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0);
  return { expired: expired.sort(soonestFirst), expiring: expiring.sort(soonestFirst) };
}

const day = (date: Date): string => date.toISOString().slice(0, 10);
const certificates = (count: number): string =>
  count === 1 ? "1 certificate" : `${count} certificates`;

/** A clause for the status, or undefined when nothing needs the operator's attention. */
export function expiryMessage(summary: ExpirySummary, warningDays: number): string | undefined {
  const parts: string[] = [];
  const [firstExpired] = summary.expired;
  if (firstExpired) {
    parts.push(
      `${certificates(summary.expired.length)} ${summary.expired.length === 1 ? "has" : "have"} expired (first: ${firstExpired.holder} on ${day(firstExpired.notAfter)})`,
    );
  }
  const [firstExpiring] = summary.expiring;
  if (firstExpiring) {
    parts.push(
      `${certificates(summary.expiring.length)} ${summary.expiring.length === 1 ? "expires" : "expire"} ` +
        `within ${warningDays} days ` +
        `(first: ${firstExpiring.holder} on ${day(firstExpiring.notAfter)})`,
    );
  }
  return parts.length > 0 ? parts.join("; ") : undefined;
}
