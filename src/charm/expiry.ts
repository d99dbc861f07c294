import type { ProvidedCertificate } from "../interface/provided-certificates.ts";
import { certificateValidity } from "../x509/validity.ts";

export interface IssuedTo {
  readonly certificate: ProvidedCertificate;
  /** The unit that asked, or the application for an app-level request. */
  readonly holder: string;
}

export interface ExpirySummary {
  readonly expired: readonly { holder: string; notAfter: Date }[];
  readonly expiring: readonly { holder: string; notAfter: Date }[];
}

const DAY_MS = 86_400_000;

/** Current (non-revoked) certificates already expired, and those expiring within the window. */
export function summarizeExpiry(
  issued: readonly IssuedTo[],
  warningDays: number,
  now: Date,
): ExpirySummary {
  const expired: { holder: string; notAfter: Date }[] = [];
  const expiring: { holder: string; notAfter: Date }[] = [];
  for (const { certificate, holder } of issued) {
    if (certificate.revoked) continue;
    let notAfter: Date;
    try {
      notAfter = certificateValidity(certificate.certificate).notAfter;
    } catch {
      continue;
    }
    if (notAfter.getTime() <= now.getTime()) expired.push({ holder, notAfter });
    else if (notAfter.getTime() - now.getTime() <= warningDays * DAY_MS) {
      expiring.push({ holder, notAfter });
    }
  }
  const soonestFirst = (a: { notAfter: Date }, b: { notAfter: Date }) =>
    a.notAfter.getTime() - b.notAfter.getTime();
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
