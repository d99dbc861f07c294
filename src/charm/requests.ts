import {
  parseCertificateRequests,
  type CertificateRequest,
} from "../interface/certificate-requests.ts";
import type { Databag, Logger, Relation } from "../juju/index.ts";
import { checkRequestedCsr } from "../x509/csr-check.ts";
import { csrIdentity } from "./csr-identity.ts";

/** A request with where it came from: what the operator needs to take it to a CA. */
export interface LocatedRequest extends CertificateRequest {
  readonly relationId: number;
  readonly applicationName: string;
  /** Undefined for a request in the requirer application's databag (app mode). */
  readonly unitName: string | undefined;
  readonly identity: string;
}

export interface RelationRequests {
  readonly requests: readonly LocatedRequest[];
  /** False when a databag could not be read at all: its requests are unknown, not gone. */
  readonly complete: boolean;
}

export interface ReadOptions {
  /** Read only this unit's databag (and skip the application databag). */
  readonly unit?: string;
  /**
   * CSR texts we published a certificate for: checked in full when the operator provided it, so
   * the cheap check of every hook is not run on them again. On a settled model that is nearly
   * every request.
   */
  readonly answered?: ReadonlySet<string>;
}

/** Every usable request of one relation: each remote unit's databag, then the remote app's. */
export function readRelationRequests(
  relation: Relation,
  log: Logger,
  options: ReadOptions = {},
): RelationRequests {
  // Remote databags do not change within a dispatch: read and check them once, warn once.
  const byScope = readRequests.get(relation) ?? new Map<string, RelationRequests>();
  readRequests.set(relation, byScope);
  const scope = options.unit ?? "";
  let result = byScope.get(scope);
  if (result === undefined) {
    result = collectRequests(relation, log, options);
    byScope.set(scope, result);
  }
  return result;
}

const ANSWERED = { ok: true } as const;

// The first read of a dispatch is kept whatever its `answered`: that set decides which requests
// are checked, and every CSR the charm could have answered passes the check anyway.
const readRequests = new WeakMap<Relation, Map<string, RelationRequests>>();

function collectRequests(relation: Relation, log: Logger, options: ReadOptions): RelationRequests {
  const sources: { bag: Databag; unitName: string | undefined }[] = [];
  if (options.unit !== undefined) {
    if (relation.units.includes(options.unit)) {
      sources.push({ bag: relation.unitData(options.unit), unitName: options.unit });
    }
  } else {
    for (const unit of relation.units)
      sources.push({ bag: relation.unitData(unit), unitName: unit });
    sources.push({ bag: relation.remoteAppData, unitName: undefined });
  }

  const requests: LocatedRequest[] = [];
  let complete = true;
  for (const { bag, unitName } of sources) {
    const source = `${unitName ?? `application ${relation.remoteApp}`} on ${relation.label}`;
    const parsed = parseCertificateRequests(bag.entries());
    // A databag whose every item is bad is as unreadable as one that is not JSON.
    if (!parsed.complete || (parsed.requests.length === 0 && parsed.problems.length > 0)) {
      complete = false;
    }
    const problems = [...parsed.problems];
    for (const request of parsed.requests) {
      const check = options.answered?.has(request.csr) ? ANSWERED : checkRequestedCsr(request.csr);
      if (!check.ok) {
        problems.push(`a certificate signing request: ${check.reason}`);
        continue;
      }
      requests.push({
        ...request,
        relationId: relation.id,
        applicationName: relation.remoteApp,
        unitName,
        identity: csrIdentity(request.csr),
      });
    }
    warnAbout(problems, source, log);
  }
  return { requests, complete };
}

// A hostile databag can hold thousands of bad items; a few lines say enough on every hook.
const MAX_WARNINGS_PER_DATABAG = 10;

function warnAbout(problems: readonly string[], source: string, log: Logger): void {
  for (const problem of problems.slice(0, MAX_WARNINGS_PER_DATABAG)) {
    log.warning(`ignoring requests of ${source}: ${problem}`);
  }
  const more = problems.length - MAX_WARNINGS_PER_DATABAG;
  if (more > 0) log.warning(`ignoring requests of ${source}: ${more} more problems like these`);
}
