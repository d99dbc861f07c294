// Collects what a library did with each certificate entry into an `Acceptance`. Later entries
// for the same CSR win: the libraries walk the whole list and overwrite the certificate they
// store for that CSR each time.

import type { AcceptedCertificate, Acceptance, OwnCsr, Rejection } from "./types.ts";

type Outcome =
  { kind: "accepted"; value: AcceptedCertificate } | { kind: "rejected"; reason: string };

export class OutcomeBuilder {
  readonly #own: readonly OwnCsr[];
  readonly #byCsr = new Map<string, Outcome>();
  readonly #general: Rejection[] = [];

  constructor(own: readonly OwnCsr[]) {
    this.#own = own;
  }

  accept(value: AcceptedCertificate): void {
    this.#byCsr.set(value.csr, { kind: "accepted", value });
  }

  reject(csr: string, reason: string): void {
    this.#byCsr.set(csr, { kind: "rejected", reason });
  }

  /** A rejection that keeps an earlier acceptance of the same CSR (e.g. a request error). */
  rejectUnlessAccepted(csr: string, reason: string): void {
    if (this.#byCsr.get(csr)?.kind !== "accepted") this.reject(csr, reason);
  }

  note(reason: string): void {
    this.#general.push({ reason });
  }

  build(): Acceptance {
    const accepted: AcceptedCertificate[] = [];
    const rejected: Rejection[] = [...this.#general];
    const pending: string[] = [];
    for (const { csr } of this.#own) {
      const outcome = this.#byCsr.get(csr);
      if (outcome === undefined) pending.push(csr);
      else if (outcome.kind === "accepted") accepted.push(outcome.value);
      else rejected.push({ csr, reason: outcome.reason });
    }
    return { accepted, rejected, pending, databagValid: true };
  }
}

/** The databag was thrown away as a whole: no certificate for anyone. */
export function invalidDatabag(own: readonly OwnCsr[], reason: string): Acceptance {
  return {
    accepted: [],
    rejected: [{ reason }],
    pending: own.map((c) => c.csr),
    databagValid: false,
  };
}

/** The requirer's hook raises: nothing is handed to the charm and the unit goes into error. */
export function hookError(own: readonly OwnCsr[], error: string): Acceptance {
  return {
    accepted: [],
    rejected: [],
    pending: own.map((c) => c.csr),
    databagValid: true,
    error,
  };
}
