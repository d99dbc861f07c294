import { createPublicKey, type KeyObject } from "node:crypto";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Extensions } from "@peculiar/asn1-x509";
import { locateCsrParts, type CsrLayout } from "./csr-check.ts";
import { DerError } from "./der.ts";
import { describeKey, unsupportedKeyReason } from "./keys.ts";
import { commonNameOf, formatName, formatNameWithoutUniqueId, sansOf } from "./names.ts";
import { CERTIFICATE_REQUEST, PemError, readOnePem, type PemBlock } from "./pem.ts";
import { UnsupportedSignatureError, verifySignature } from "./signature.ts";

// Full reading of a PKCS#10 certificate signing request (RFC 2986). This module loads the
// ASN.1 packages; code on every hook should use `checkRequestedCsr` instead.

const OID_EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

/** A CSR we cannot use; `input` names where it came from when the caller said so. */
export class CsrError extends Error {
  constructor(
    readonly reason: string,
    readonly input?: string,
  ) {
    super(input === undefined ? reason : `${input}: ${reason}`);
    this.name = "CsrError";
  }
}

export interface ParsedCsr {
  /** Canonical PEM (64 columns, no trailing newline). */
  readonly pem: string;
  readonly der: Buffer;
  readonly publicKey: KeyObject;
  /** The SubjectPublicKeyInfo exactly as encoded in the CSR. */
  readonly subjectPublicKeyInfo: Buffer;
  /** "RSA 2048", "EC P-256", "Ed25519". */
  readonly keyDescription: string;
  /** RFC 4514 form, most specific first: "CN=foo,O=bar". */
  readonly subject: string;
  /** The subject without x500UniqueIdentifier: equal across a requirer's renewals. */
  readonly renewalSubject: string;
  readonly commonName: string | undefined;
  /** "DNS:a.example", "IP:10.0.0.1", "email:…", "URI:…". */
  readonly sans: readonly string[];
  /** Always true unless `requireValidSignature: false` was passed. */
  readonly signatureValid: boolean;
}

export interface ParseCsrOptions {
  /** The input's name, put before every error message ("certificate-signing-request: …"). */
  readonly input?: string;
  /** Return `signatureValid: false` instead of throwing on a bad self-signature. */
  readonly requireValidSignature?: boolean;
}

interface CsrStructure {
  readonly block: PemBlock;
  readonly layout: CsrLayout;
  readonly request: CertificationRequest;
  readonly extensions: Extensions | undefined;
}

function readStructure(pem: string, fail: (reason: string) => CsrError): CsrStructure {
  let block: PemBlock;
  try {
    block = readOnePem(pem, CERTIFICATE_REQUEST);
  } catch (error) {
    if (error instanceof PemError) throw fail(error.message);
    throw error;
  }
  try {
    const layout = locateCsrParts(block.der);
    const request = AsnConvert.parse(block.der, CertificationRequest);
    const attribute = [...(request.certificationRequestInfo.attributes ?? [])].find(
      (a) => a.type === OID_EXTENSION_REQUEST,
    );
    const value = attribute?.values[0];
    const extensions = value === undefined ? undefined : AsnConvert.parse(value, Extensions);
    return { block, layout, request, extensions };
  } catch (error) {
    const detail = error instanceof DerError ? `: ${error.message}` : "";
    throw fail(`is not a well-formed PKCS#10 certificate signing request${detail}`);
  }
}

function readSans(extensions: Extensions | undefined, fail: (reason: string) => CsrError) {
  try {
    return sansOf(extensions);
  } catch {
    throw fail("has a subjectAltName extension that cannot be read");
  }
}

/** What a CSR asks for, as a person reviewing it before signing reads it. */
export interface CsrDescription {
  /** RFC 4514 form, most specific first. */
  readonly subject: string;
  /** The subject without x500UniqueIdentifier: equal across a requirer's renewals. */
  readonly renewalSubject: string;
  /** "DNS:a.example", "IP:10.0.0.1", "email:…", "URI:…". */
  readonly sans: readonly string[];
  /** "RSA 2048", "EC P-256", "Ed25519". */
  readonly keyDescription: string;
}

/**
 * Subject, SANs and key of a CSR, without checking its signature or key: for listing requests
 * that passed the hooks' check already. Throws CsrError when it cannot be read.
 */
export function describeCsr(pem: string): CsrDescription {
  const fail = (reason: string): CsrError => new CsrError(reason);
  const { layout, request, extensions } = readStructure(pem, fail);
  let keyDescription: string;
  try {
    keyDescription = describeKey(
      createPublicKey({ key: layout.subjectPublicKeyInfo, format: "der", type: "spki" }),
    );
  } catch {
    throw fail("has a public key that cannot be loaded");
  }
  const subject = request.certificationRequestInfo.subject;
  return {
    subject: formatName(subject),
    renewalSubject: formatNameWithoutUniqueId(subject),
    sans: readSans(extensions, fail),
    keyDescription,
  };
}

/** Parses and checks one PEM CSR: structure, supported key, self-signature. */
export function parseCsr(pem: string, options: ParseCsrOptions = {}): ParsedCsr {
  const fail = (reason: string): CsrError => new CsrError(reason, options.input);
  const { block, layout, request, extensions } = readStructure(pem, fail);
  const der = block.der;

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: layout.subjectPublicKeyInfo, format: "der", type: "spki" });
  } catch {
    throw fail("has a public key that cannot be loaded");
  }
  const keyDescription = describeKey(publicKey);
  const unsupported = unsupportedKeyReason(publicKey);
  if (unsupported !== undefined) throw fail(`public key ${unsupported}`);

  let signatureValid: boolean;
  try {
    signatureValid = verifySignature(
      layout.signatureAlgorithm,
      layout.info,
      layout.signature,
      publicKey,
    );
  } catch (error) {
    if (error instanceof UnsupportedSignatureError || error instanceof DerError) {
      throw fail(`self-signature cannot be checked: ${error.message}`);
    }
    throw error;
  }
  if (!signatureValid && options.requireValidSignature !== false) {
    throw fail(
      "self-signature does not verify with its own public key (the CSR was altered or corrupted)",
    );
  }

  const sans = readSans(extensions, fail);
  const subject = request.certificationRequestInfo.subject;
  return {
    pem: block.pem,
    der,
    publicKey,
    subjectPublicKeyInfo: layout.subjectPublicKeyInfo,
    keyDescription,
    subject: formatName(subject),
    renewalSubject: formatNameWithoutUniqueId(subject),
    commonName: commonNameOf(subject),
    sans,
    signatureValid,
  };
}
