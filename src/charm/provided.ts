import {
  CERTIFICATES_KEY,
  parseProvidedCertificates,
  serializeProvidedCertificates,
  type ProvidedCertificate,
} from "../interface/provided-certificates.ts";
import {
  REQUEST_ERRORS_KEY,
  parseRequestErrors,
  serializeRequestErrors,
  type RequestError,
} from "../interface/request-errors.ts";
import type { Logger, Relation } from "../juju/index.ts";
import { csrIdentity } from "./csr-identity.ts";
import { assertWithinDatabagBudget } from "./databag-budget.ts";

/** What we publish on one relation: certificates, and the requests the operator refused. */
export interface Published {
  certificates: ProvidedCertificate[];
  rejections: RequestError[];
  /** The databag held both lists readable as they are: rewriting them would repair nothing. */
  readonly asStored?: boolean;
}

/** Our application databag on one relation. Only the leader may call this. */
export function readPublished(relation: Relation, log: Logger): Published {
  const bag = relation.localAppData.entries();
  // A dispatch may read the same databag more than once (an action, then the status); parse it
  // once per content, and warn about it once.
  let published = parsedBags.get(bag);
  if (published === undefined) {
    published = parsePublished(bag, relation, log);
    parsedBags.set(bag, published);
  }
  return {
    certificates: [...published.certificates],
    rejections: [...published.rejections],
    asStored: published.asStored,
  };
}

const parsedBags = new WeakMap<Readonly<Record<string, string>>, Published>();

function parsePublished(
  bag: Readonly<Record<string, string>>,
  relation: Relation,
  log: Logger,
): Published {
  const certificates = parseProvidedCertificates(bag);
  const rejections = parseRequestErrors(bag);
  for (const problem of [...certificates.problems, ...rejections.problems]) {
    log.warning(`our data on ${relation.label}: dropping what no requirer can read: ${problem}`);
  }
  const asStored =
    bag[CERTIFICATES_KEY] !== undefined &&
    certificates.problems.length === 0 &&
    rejections.problems.length === 0;
  return {
    certificates: [...certificates.certificates],
    rejections: [...rejections.errors],
    asStored,
  };
}

/** The CSR texts, exactly as the requirers wrote them, that have a certificate here. */
export function answeredCsrs(published: Published): Set<string> {
  return new Set(published.certificates.map((entry) => entry.csr));
}

/**
 * Writes what differs from the databag. `certificates` is always present (`[]` when empty) for
 * the v1-v3 schemas; a CSR stands in `certificates` or in `request_errors`, never both.
 */
export function writePublished(relation: Relation, published: Published): void {
  const answered = new Set(published.certificates.map((entry) => csrIdentity(entry.csr)));
  const rejections = published.rejections.filter((entry) => !answered.has(csrIdentity(entry.csr)));
  const writes: Record<string, string> = {
    [CERTIFICATES_KEY]: serializeProvidedCertificates(published.certificates),
    [REQUEST_ERRORS_KEY]: serializeRequestErrors(rejections) ?? "",
  };
  const bag = relation.localAppData;
  assertWithinDatabagBudget(relation.label, afterWrites(bag.entries(), writes));
  for (const [key, value] of Object.entries(writes)) bag.set(key, value);
}

/** A databag as it would be after these writes ("" deletes a key). */
function afterWrites(
  bag: Readonly<Record<string, string>>,
  writes: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...bag };
  for (const [key, value] of Object.entries(writes)) {
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The published entries with this CSR removed, ready for a new answer or a refusal. */
export function withoutRequest(published: Published, identity: string): Published {
  return {
    certificates: published.certificates.filter((entry) => csrIdentity(entry.csr) !== identity),
    rejections: published.rejections.filter((entry) => csrIdentity(entry.csr) !== identity),
  };
}
