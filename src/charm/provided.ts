import {
  CERTIFICATES_KEY,
  parseProvidedCertificates,
  serializeProvidedCertificates,
  type ProvidedCertificate,
} from "../interface/provided-certificates.ts";
import type { Logger, Relation } from "../juju/index.ts";

/** Our `certificates` list on one relation. Only the leader may call this. */
export function readProvided(relation: Relation, log: Logger): ProvidedCertificate[] {
  const parsed = parseProvidedCertificates(relation.localAppData.entries());
  for (const problem of parsed.problems) {
    log.warning(
      `our certificates on ${relation.label}: dropping what no requirer can read: ${problem}`,
    );
  }
  return [...parsed.certificates];
}

/** Writes the list if it differs from what the databag holds, `[]` included. */
export function writeProvided(
  relation: Relation,
  certificates: readonly ProvidedCertificate[],
): void {
  relation.localAppData.set(CERTIFICATES_KEY, serializeProvidedCertificates(certificates));
}
