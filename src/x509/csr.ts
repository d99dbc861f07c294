import { createPublicKey, type KeyObject } from "node:crypto";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Extensions } from "@peculiar/asn1-x509";
import { locateCsrParts, type CsrLayout } from "./csr-check.ts";
import { DerError } from "./der.ts";
import { describeKey, unsupportedKeyReason } from "./keys.ts";
import { commonNameOf, formatName, sansOf } from "./names.ts";
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
  /** "RSA 2048", "EC P-256", "Ed25519". */
  readonly keyDescription: string;
  /** RFC 4514 form, most specific first: "CN=foo,O=bar". */
  readonly subject: string;
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

/** Parses and checks one PEM CSR: structure, supported key, self-signature. */
export function parseCsr(pem: string, options: ParseCsrOptions = {}): ParsedCsr {
  const fail = (reason: string): CsrError => new CsrError(reason, options.input);

  let block: PemBlock;
  try {
    block = readOnePem(pem, CERTIFICATE_REQUEST);
  } catch (error) {
    if (error instanceof PemError) throw fail(error.message);
    throw error;
  }
  const der = block.der;

  let layout: CsrLayout;
  let request: CertificationRequest;
  let extensions: Extensions | undefined;
  try {
    layout = locateCsrParts(der);
    request = AsnConvert.parse(der, CertificationRequest);
    const attribute = [...(request.certificationRequestInfo.attributes ?? [])].find(
      (a) => a.type === OID_EXTENSION_REQUEST,
    );
    const value = attribute?.values[0];
    extensions = value === undefined ? undefined : AsnConvert.parse(value, Extensions);
  } catch (error) {
    const detail = error instanceof DerError ? `: ${error.message}` : "";
    throw fail(`is not a well-formed PKCS#10 certificate signing request${detail}`);
  }

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

  let sans: string[];
  try {
    sans = sansOf(extensions);
  } catch {
    throw fail("has a subjectAltName extension that cannot be read");
  }
  const subject = request.certificationRequestInfo.subject;
  return {
    pem: block.pem,
    der,
    publicKey,
    keyDescription,
    subject: formatName(subject),
    commonName: commonNameOf(subject),
    sans,
    signatureValid,
  };
}
