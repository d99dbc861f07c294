// The defects `npm run mutants` plants, one at a time. Each is a change a reviewer would call a
// serious bug, and names the test files that must fail with it (fast, in-process files first:
// the run stops at the first failing test). `find` must occur exactly once in `file`; keep it
// short and distinctive so edits elsewhere in the file do not make it stale.

import type { Mutant } from "./mutant.ts";
import { POLICY_MUTANTS } from "./policy-mutants.ts";
import { SUMMARY_MUTANTS } from "./summary-mutants.ts";
import { WORKFLOW_MUTANTS } from "./workflow-mutants.ts";

export type { Mutant };

const ACTION_TARGETS = "tests/robustness/action-targets.test.ts";
const RECONCILE_EDGES = "tests/robustness/reconcile-edges.test.ts";
const DATABAGS = "tests/robustness/databags.test.ts";
const ROUTER = "tests/juju/router.test.ts";
const VALIDATION = "tests/x509/validation.test.ts";
const ACTION_OUTCOMES = "tests/robustness/action-outcomes.test.ts";

const CORE_MUTANTS: readonly Mutant[] = [
  // src/charm: the operator
  {
    id: "C01",
    file: "src/charm/actions/guards.ts",
    find: "if (relationId === undefined) return relations;",
    replace: "if (!relationId) return relations;",
    defect: "relation-id=0 read as not given: the action acts on every relation",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C02",
    file: "src/charm/actions/reject-certificate-request.ts",
    find: "  requireLeader(context);\n",
    replace: "",
    defect: "reject-certificate-request runs on a non-leader",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C03",
    file: "src/charm/actions/answer.ts",
    find: "csr: request.csr,",
    replace: "csr: csr.pem,",
    defect: "publishes the operator's copy of the CSR, not the requirer's exact text",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C04",
    file: "src/charm/actions/revoke-certificate.ts",
    find: "  requireLeader(context);\n",
    replace: "",
    defect: "revoke-certificate runs on a non-leader",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C05",
    file: "src/charm/actions/get-issued-certificates.ts",
    find: "  requireLeader(context);\n",
    replace: "",
    defect: "get-issued-certificates runs on a non-leader",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C06",
    file: "src/charm/actions/provide-certificate.ts",
    find: "  requireLeader(context);\n",
    replace: "",
    defect: "provide-certificate runs on a non-leader",
    tests: [ACTION_TARGETS],
  },
  {
    id: "C07",
    file: "src/charm/relation-reconcile.ts",
    find: "if (!complete) {",
    replace: "if (complete) {",
    defect: "an unreadable requirer databag no longer keeps the certificates already given",
    tests: [RECONCILE_EDGES, DATABAGS],
  },
  {
    id: "C08",
    file: "src/charm/relation-reconcile.ts",
    find: "entries.filter((entry) => requested.has(",
    replace: "entries.filter((entry) => !requested.has(",
    defect: "reconcile drops the certificates still requested and keeps withdrawn ones",
    tests: [RECONCILE_EDGES, DATABAGS],
  },
  {
    id: "C09",
    file: "src/charm/relation-state.ts",
    find: ".filter((entry) => !entry.revoked)",
    replace: ".filter((entry) => entry.revoked !== undefined)",
    defect: "a revoked certificate's request is not outstanding again",
    tests: [ACTION_OUTCOMES, "tests/e2e/operator-tools.test.ts"],
  },
  {
    id: "C10",
    file: "src/charm/requests.ts",
    find: "for (const request of parsed.requests) {",
    replace: "for (const request of parsed.problems.length > 0 ? [] : parsed.requests) {",
    defect: "one bad item hides every good request of the same databag",
    tests: [DATABAGS],
  },
  {
    id: "C11",
    file: "src/charm/locate-request.ts",
    find: "if (relationIds.length > 1) {",
    replace: "if (relationIds.length > 2) {",
    defect: "a CSR requested on two relations is answered on the first without relation-id",
    tests: [RECONCILE_EDGES],
  },
  {
    id: "C12",
    file: "src/charm/provided.ts",
    find: "(entry) => !answered.has(csrIdentity(entry.csr))",
    replace: "(entry) => answered.has(csrIdentity(entry.csr))",
    defect: "a refusal stays after the operator provides a certificate, or vanishes without one",
    tests: [ACTION_OUTCOMES, "tests/e2e/operator-tools.test.ts"],
  },
  {
    id: "C13",
    file: "src/charm/actions/reject-certificate-request.ts",
    find: 'z.minLength(1, "must say why',
    replace: 'z.minLength(0, "must say why',
    defect: "reject-certificate-request accepts an empty reason",
    tests: [ACTION_OUTCOMES, "tests/robustness/action-params.test.ts"],
  },

  // src/interface: what goes on the wire
  {
    id: "I01",
    file: "src/interface/provided-certificates.ts",
    find: "      certificate_signing_request: entry.csr.trim(),",
    replace: "      csr: entry.csr.trim(),",
    defect: "certificates are published under the wrong key for the CSR",
    tests: ["tests/interface/provided-certificates.test.ts"],
  },
  {
    id: "I02",
    file: "src/interface/provided-certificates.ts",
    find: "{ revoked: true }",
    replace: "{ revocation: true }",
    defect: "a revoked certificate is published without revoked: true",
    tests: ["tests/interface/provided-certificates.test.ts"],
  },
  {
    id: "I03",
    file: "src/interface/certificate-requests.ts",
    find: "isCa: parsed.data.ca === true",
    replace: "isCa: parsed.data.ca !== false",
    defect: "a request with ca absent or null is read as asking for a CA certificate",
    tests: ["tests/interface/certificate-requests.test.ts", "tests/requirers/readers.test.ts"],
  },
  {
    id: "I04",
    file: "src/interface/certificate-requests.ts",
    find: "decoded.slice(0, MAX_REQUESTS_PER_DATABAG)",
    replace: "decoded.slice(0, MAX_REQUESTS_PER_DATABAG - 1)",
    defect: "off by one: only 4999 of the 5000 requests a databag may hold are read",
    tests: ["tests/interface/certificate-requests.test.ts"],
  },
  {
    id: "I05",
    file: "src/interface/certificate-requests.ts",
    find: "const csr = parsed.data.certificate_signing_request.trim();",
    replace: "const csr = parsed.data.certificate_signing_request;",
    defect: "a CSR with surrounding whitespace is kept untrimmed and matched as another CSR",
    tests: ["tests/interface/certificate-requests.test.ts", ACTION_TARGETS],
  },
  {
    id: "I06",
    file: "src/interface/python-json.ts",
    find: '.join(", ")}]`',
    replace: '.join(",")}]`',
    defect: "lists are not serialized as Python's json.dumps writes them",
    tests: ["tests/interface/python-json.test.ts"],
  },
  {
    id: "I07",
    file: "src/interface/request-errors.ts",
    find: 'REQUEST_ERRORS_KEY = "request_errors"',
    replace: 'REQUEST_ERRORS_KEY = "request-errors"',
    defect: "refusals are published under a key no requirer reads",
    tests: [ACTION_OUTCOMES, "tests/e2e/operator-tools.test.ts"],
  },

  // src/x509: the checks on what the operator provides
  {
    id: "X01",
    file: "src/x509/validation.ts",
    find: "if (now > c.notAfter) {",
    replace: "if (now > c.notAfter && c.isCa) {",
    defect: "an expired leaf certificate is accepted",
    tests: [VALIDATION],
  },
  {
    id: "X02",
    file: "src/x509/validation.ts",
    find: "if (certificate.isCa && !requestIsCa) {",
    replace: "if (certificate.isCa && requestIsCa) {",
    defect: "a CA certificate is accepted for a request that asked for a leaf",
    tests: [VALIDATION],
  },
  {
    id: "X03",
    file: "src/x509/validation.ts",
    find: "if (!sameKey) {",
    replace: "if (false) {",
    defect: "a certificate for another key than the CSR's is accepted",
    tests: [VALIDATION],
  },
  {
    id: "X04",
    file: "src/x509/validation.ts",
    find: "below > c.pathLength",
    replace: "below > c.pathLength + 1",
    defect: "off by one: a chain one CA longer than pathLenConstraint allows is accepted",
    tests: [VALIDATION],
  },
  {
    id: "X05",
    file: "src/x509/validation.ts",
    find: "if (!c.mayIssueCertificates) {",
    replace: "if (!c.mayIssueCertificates && c.pathLength !== undefined) {",
    defect: "an issuer whose keyUsage lacks keyCertSign is accepted",
    tests: [VALIDATION],
  },
  {
    id: "X06",
    file: "src/x509/validation.ts",
    find: "if (!csr.signatureValid) {",
    replace: "if (csr.signatureValid === undefined) {",
    defect: "a CSR whose self-signature does not verify is accepted",
    tests: [VALIDATION, "tests/x509/csr.test.ts"],
  },
  {
    id: "X07",
    file: "src/x509/validation.ts",
    find: "now.getTime() + CLOCK_SKEW_MS < c.notBefore.getTime()",
    replace: "now.getTime() - CLOCK_SKEW_MS > c.notBefore.getTime()",
    defect: "a certificate not valid yet is accepted, and a valid one refused",
    tests: [VALIDATION],
  },
  {
    id: "X08",
    file: "src/x509/csr-check.ts",
    find: "if (modulusBits < MIN_RSA_BITS)",
    replace: "if (modulusBits < MIN_RSA_BITS / 2)",
    defect: "requests for RSA 1024 keys are listed as outstanding",
    tests: ["tests/x509/csr-check.test.ts"],
  },
  {
    id: "X09",
    file: "src/x509/action-input.ts",
    find: "if (mentionsPrivateKey(text)) throw new ActionInputError(input, PRIVATE_KEY_MESSAGE);",
    replace:
      "if (mentionsPrivateKey(text)) throw new ActionInputError(input, `${PRIVATE_KEY_MESSAGE}: ${value.slice(0, 48)}`);",
    defect: "a base64-encoded private key is echoed in the action's failure message",
    tests: ["tests/x509/action-input.test.ts", "tests/e2e/provide-certificate.test.ts"],
  },
  {
    id: "X10",
    file: "src/x509/pem.ts",
    find: "const PRIVATE_KEY_HINT = /PRIVATE\\s+KEY|",
    replace: "const PRIVATE_KEY_HINT = /PRIVATE\\s+KEY-----BEGIN|",
    defect: "a private key given as a parameter is not recognised as one",
    tests: ["tests/x509/pem.test.ts", "tests/x509/action-input.test.ts"],
  },
  {
    id: "X11",
    file: "src/x509/validity.ts",
    find: "y! >= 50 ? 1900 + y! : 2000 + y!",
    replace: "y! > 50 ? 1900 + y! : 2000 + y!",
    defect: "off by one: UTCTime year 50 read as 2050 instead of 1950",
    tests: ["tests/x509/validity.test.ts"],
  },

  // src/juju: the runtime
  {
    id: "J01",
    file: "src/juju/relation.ts",
    find: "if (!leader && !isPeer) {",
    replace: "if (!leader && isPeer) {",
    defect: "a non-leader reads its application databag on a non-peer relation",
    tests: [ROUTER, "tests/robustness/reconcile-edges.test.ts"],
  },
  {
    id: "J02",
    file: "src/juju/databag.ts",
    find: "if (!this.writable) throw",
    replace: "if (this.writable === undefined) throw",
    defect: "writes to a remote unit's or remote application's databag are not refused",
    tests: [ROUTER],
  },
  {
    id: "J03",
    file: "src/juju/router.ts",
    find: "if (!action.failed) context.model.commit();",
    replace: "context.model.commit();",
    defect: "the writes of an action that failed are committed",
    tests: [ROUTER],
  },
  {
    id: "J04",
    file: "src/juju/router.ts",
    find: "this.output.stderr(`ERROR ${describe(error)}\\n`);",
    replace: "void error;",
    defect: "outside a Juju environment dispatch exits 1 without saying why",
    tests: [ROUTER],
  },
  {
    id: "J05",
    file: "src/juju/model.ts",
    find: 'bag.owner.kind === "app"',
    replace: 'bag.owner.kind === "unit"',
    defect: "application databag writes go to the unit databag and the other way round",
    tests: [ROUTER],
  },
  {
    id: "J06",
    file: "src/juju/event.ts",
    find: "relationId < 0",
    replace: "relationId < -1",
    defect: "a negative JUJU_RELATION_ID is accepted",
    tests: ["tests/juju/event.test.ts"],
  },
  {
    id: "J07",
    file: "src/juju/databag.ts",
    find: "if (this.read()[key] === value ||",
    replace: "if (this.read()[key] !== value ||",
    defect: "a changed databag value is dropped and an unchanged one rewritten",
    tests: [ROUTER],
  },
];

// Each area keeps its own list, so work on one area never edits another's.
export const MUTANTS: readonly Mutant[] = [
  ...CORE_MUTANTS,
  ...WORKFLOW_MUTANTS,
  ...POLICY_MUTANTS,
  ...SUMMARY_MUTANTS,
];
