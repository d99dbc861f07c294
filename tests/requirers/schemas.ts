// The JSON schemas embedded in lib v1 (LIBPATCH 14) and v2/v3 (spec Appendix A), without the
// annotation keywords, which do not affect validation.

import type { Draft4Schema } from "./draft4.ts";

const providerCertificateItem: Draft4Schema = {
  type: "object",
  required: ["certificate_signing_request", "certificate", "ca", "chain"],
  properties: {
    certificate_signing_request: { type: "string" },
    certificate: { type: "string" },
    ca: { type: "string" },
    chain: { type: "array", items: { type: "string" } },
    revoked: { type: "boolean" },
  },
  additionalProperties: true,
};

/** PROVIDER_JSON_SCHEMA of v1, v2 and v3 (they differ only in `$id` and examples). */
export const PROVIDER_SCHEMA_V1_TO_V3: Draft4Schema = {
  type: "object",
  properties: {
    certificates: { type: "array", items: providerCertificateItem },
  },
  required: ["certificates"],
  additionalProperties: true,
};

export const REQUIRER_SCHEMA_V1: Draft4Schema = {
  type: "object",
  properties: {
    certificate_signing_requests: {
      type: "array",
      items: {
        type: "object",
        properties: { certificate_signing_request: { type: "string" } },
        required: ["certificate_signing_request"],
      },
    },
  },
  required: ["certificate_signing_requests"],
  additionalProperties: true,
};

export const REQUIRER_SCHEMA_V2_V3: Draft4Schema = {
  type: "object",
  properties: {
    certificate_signing_requests: {
      type: "array",
      items: {
        type: "object",
        properties: {
          certificate_signing_request: { type: "string" },
          ca: { type: "boolean" },
        },
        required: ["certificate_signing_request"],
      },
    },
  },
  required: ["certificate_signing_requests"],
  additionalProperties: true,
};
