import * as z from "zod/mini";
import { ActionFailure, type ActionContext } from "../../juju/index.ts";
import {
  ActionInputError,
  readActionCertificate,
  readActionCertificates,
  readActionCsr,
} from "../../x509/action-input.ts";
import {
  CertificateError,
  parseCertificate,
  type ParsedCertificate,
} from "../../x509/certificate.ts";
import { CsrError, parseCsr } from "../../x509/csr.ts";
import { PemError } from "../../x509/pem.ts";
import { CertificateValidationError, validateProvidedCertificate } from "../../x509/validation.ts";
import { csrIdentity } from "../csr-identity.ts";
import { locateRequest } from "../locate-request.ts";
import { readPublished, withoutRequest, writePublished } from "../provided.ts";
import { requireLeader, selectRelations } from "./guards.ts";
import { refreshStatus } from "./relation-states.ts";
import { requesterResult } from "./request-view.ts";

const UNIT_NAME = /^[a-z][a-z0-9-]*\/\d+$/;

const params = z.object({
  "relation-id": z.optional(z.int().check(z.minimum(0))),
  "unit-name": z.optional(
    z.string().check(z.regex(UNIT_NAME, "must be a unit name such as vault/0")),
  ),
  "certificate-signing-request": z.string(),
  certificate: z.string(),
  "ca-certificate": z.string(),
  "ca-chain": z.optional(z.string()),
});

/**
 * Checks the operator's certificate against the request it answers and the CA above it, then
 * publishes it to the requirer that asked. Nothing is written unless every check passes.
 */
export function provideCertificate(context: ActionContext): void {
  requireLeader(context);
  const { action, model, log } = context;
  const given = action.params(params);
  const relations = selectRelations(model, given["relation-id"]);

  const csrInput = "certificate-signing-request";
  const csr = failing(() =>
    parseCsr(readActionCsr(csrInput, given[csrInput]).pem, { input: csrInput }),
  );
  const certificate = parseInput("certificate", given.certificate);
  const caCertificate = parseInput("ca-certificate", given["ca-certificate"]);
  const chain = given["ca-chain"] ? parseChain(given["ca-chain"]) : undefined;

  const { relation, request } = locateRequest(
    relations,
    csrIdentity(csr.pem),
    given["unit-name"],
    log,
  );
  const validated = failing(() =>
    validateProvidedCertificate({
      csr,
      certificate,
      caCertificate,
      chain,
      requestIsCa: request.isCa,
      now: new Date(),
    }),
  );

  const published = withoutRequest(readPublished(relation, log), request.identity);
  writePublished(relation, {
    certificates: [
      ...published.certificates,
      {
        csr: request.csr,
        certificate: certificate.pem,
        ca: caCertificate.pem,
        chain: validated.chain,
        revoked: false,
      },
    ],
    rejections: published.rejections,
  });
  log.info(
    `provided a certificate for ${certificate.subject} to ` +
      `${request.unitName ?? `application ${request.applicationName}`} on ${relation.label}`,
  );
  // With a unit name the action read one databag on purpose; the next hook refreshes the status.
  if (given["unit-name"] === undefined) refreshStatus(model, log);
  action.setResults({
    result: "Certificates successfully provided.",
    "relation-id": relation.id,
    ...requesterResult(request),
    subject: certificate.subject,
  });
}

function parseInput(param: "certificate" | "ca-certificate", value: string): ParsedCertificate {
  return failing(() => parseCertificate(readActionCertificate(param, value).pem, param));
}

function parseChain(value: string): ParsedCertificate[] {
  return failing(() =>
    readActionCertificates("ca-chain", value).map((block) =>
      parseCertificate(block.pem, "ca-chain"),
    ),
  );
}

const OPERATOR_INPUT_ERRORS = [
  ActionInputError,
  PemError,
  CsrError,
  CertificateError,
  CertificateValidationError,
];

/** X.509 errors carry messages written for the operator; they become the action's failure. */
function failing<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (OPERATOR_INPUT_ERRORS.some((type) => error instanceof type)) {
      throw new ActionFailure((error as Error).message);
    }
    throw error;
  }
}
