import { DerError, TAG, childrenOf, encodingOf, expectTag, readOnly } from "./der.ts";
import type { CertificateFacts } from "./facts.ts";
import { keyFacts } from "./key-facts.ts";
import { readCommonNames, readExtensions } from "./name-facts.ts";
import { validityOf } from "./validity.ts";

// The same facts of a certificate as `csr-facts.ts` reads of a CSR, with the same reader, so a
// certificate's names are compared with its CSR's names as like with like.

const EXTENSIONS_TAG = 0xa3;

/** Throws DerError when the certificate does not walk. */
export function certificateFactsOf(der: Buffer): CertificateFacts {
  const [tbs] = childrenOf(der, expectTag(readOnly(der), TAG.sequence, "Certificate"));
  const fields = childrenOf(der, expectTag(tbs, TAG.sequence, "tbsCertificate"));
  // version [0] is optional; after it come serialNumber, signature, issuer, validity, subject,
  // subjectPublicKeyInfo, then the optional unique IDs [1] [2] and extensions [3].
  const at = fields[0]?.tag === TAG.contextConstructed0 ? 1 : 0;
  const subject = expectTag(fields[at + 4], TAG.sequence, "subject");
  const spki = expectTag(fields[at + 5], TAG.sequence, "subjectPublicKeyInfo");
  const wrapper = fields.slice(at + 6).find((field) => field.tag === EXTENSIONS_TAG);
  let extensionList = undefined;
  if (wrapper !== undefined) {
    const [inner, ...more] = childrenOf(der, wrapper);
    if (more.length > 0) throw new DerError("extensions [3] holds more than one element");
    extensionList = inner;
  }
  const extensions = readExtensions(der, extensionList);
  const { notBefore, notAfter } = validityOf(der);
  return {
    commonNames: readCommonNames(der, subject),
    subjectAltNameExtensions: extensions.subjectAltNameExtensions,
    altNames: extensions.altNames,
    isCa: extensions.basicConstraintsCa,
    key: keyFacts(encodingOf(der, spki)),
    notBefore,
    notAfter,
  };
}
