import {
  DerError,
  TAG,
  childrenOf,
  encodeOid,
  encodingOf,
  expectTag,
  isOid,
  readOnly,
  readTlv,
} from "./der.ts";
import { checkRequestedCsr } from "./csr-check.ts";
import type { CsrFacts } from "./facts.ts";
import { keyFacts } from "./key-facts.ts";
import { readCommonNames, readExtensions } from "./name-facts.ts";
import { CERTIFICATE_REQUEST, PemError, readOnePem } from "./pem.ts";
import { remembered } from "./remembered.ts";

// What a CSR asks for, read by position with the DER reader: cheap enough for every request on
// every hook (a few microseconds each), where the ASN.1 library costs a tenth of a millisecond.

const OID_EXTENSION_REQUEST = encodeOid("1.2.840.113549.1.9.14");

export type CsrFactsReading =
  { readonly ok: true; readonly facts: CsrFacts } | { readonly ok: false; readonly reason: string };

/** Subject common names, subjectAltNames, CA flag and key of one PEM CSR; throws when unreadable. */
export function csrFactsOf(der: Buffer): CsrFacts {
  const outer = expectTag(readOnly(der), TAG.sequence, "CertificationRequest");
  const [info] = childrenOf(der, outer);
  const [, subject, spki, attributes] = childrenOf(der, expectTag(info, TAG.sequence, "info"));
  expectTag(spki, TAG.sequence, "subjectPublicKeyInfo");
  let extensions: ReturnType<typeof readExtensions> = readExtensions(der, undefined);
  let seen = false;
  if (attributes !== undefined) {
    expectTag(attributes, TAG.contextConstructed0, "attributes");
    for (const attribute of childrenOf(der, attributes)) {
      const [type, values] = childrenOf(der, expectTag(attribute, TAG.sequence, "Attribute"));
      if (!isOid(der, expectTag(type, TAG.oid, "attribute type"), OID_EXTENSION_REQUEST)) continue;
      // Two extension requests could each say something different about the same names.
      const [only, ...more] = childrenOf(der, expectTag(values, TAG.set, "attribute values"));
      if (seen || more.length > 0) throw new DerError("more than one extensionRequest");
      seen = true;
      const value = encodingOf(der, expectTag(only, TAG.sequence, "Extensions"));
      extensions = readExtensions(value, readTlv(value, 0));
    }
  }
  return {
    commonNames: readCommonNames(der, expectTag(subject, TAG.sequence, "subject")),
    subjectAltNameExtensions: extensions.subjectAltNameExtensions,
    altNames: extensions.altNames,
    requestsCa: extensions.basicConstraintsCa,
    key: keyFacts(encodingOf(der, spki!)),
  };
}

/** The facts of a PEM CSR, or why they cannot be read. Never throws; remembered per text. */
export const readCsrFacts: (text: string) => CsrFactsReading = remembered(10_000, read);

function read(text: string): CsrFactsReading {
  try {
    // The hooks' check has decoded every request they keep already; its DER is remembered.
    const check = checkRequestedCsr(text);
    const der = check.ok ? check.der : readOnePem(text, CERTIFICATE_REQUEST).der;
    return { ok: true, facts: csrFactsOf(der) };
  } catch (error) {
    if (error instanceof DerError || error instanceof PemError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}
