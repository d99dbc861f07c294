import { EventRouter, type ActionHandler, type HookHandler } from "../juju/index.ts";
import { CERTIFICATES_ENDPOINT, TRUST_ENDPOINT } from "./endpoints.ts";

// Handlers load on first use, so a hook pays only for the code it runs: an event with no
// handler never loads zod schemas or X.509 code, and only two actions load the ASN.1 library.
const reconcile: HookHandler = async (context) =>
  (await import("./reconcile.ts")).reconcile(context);

const actions: Readonly<Record<string, ActionHandler>> = {
  "get-outstanding-certificate-requests": async (context) =>
    (
      await import("./actions/get-outstanding-certificate-requests.ts")
    ).getOutstandingCertificateRequests(context),
  "get-certificate-request": async (context) =>
    (await import("./actions/get-certificate-request.ts")).getCertificateRequest(context),
  "provide-certificate": async (context) =>
    (await import("./actions/provide-certificate.ts")).provideCertificate(context),
  "provide-certificates": async (context) =>
    (await import("./actions/provide-certificates.ts")).provideCertificates(context),
  "get-issued-certificates": async (context) =>
    (await import("./actions/get-issued-certificates.ts")).getIssuedCertificates(context),
  "revoke-certificate": async (context) =>
    (await import("./actions/revoke-certificate.ts")).revokeCertificate(context),
  "reject-certificate-request": async (context) =>
    (await import("./actions/reject-certificate-request.ts")).rejectCertificateRequest(context),
};

const RELATION_HOOKS = ["created", "joined", "changed", "departed", "broken"] as const;

/** What the charm reacts to. Every hook reconciles; the actions are the operator's interface. */
export function createCharm(): EventRouter {
  const router = new EventRouter()
    .observe("install", reconcile)
    .observe("start", reconcile)
    .observe("upgrade-charm", reconcile)
    .observe("config-changed", reconcile)
    .observe("leader-elected", reconcile)
    .observe("leader-settings-changed", reconcile)
    .observe("update-status", reconcile)
    .observeRelation(CERTIFICATES_ENDPOINT, RELATION_HOOKS, reconcile)
    .observeRelation(TRUST_ENDPOINT, RELATION_HOOKS, reconcile);
  for (const [name, handler] of Object.entries(actions)) router.observeAction(name, handler);
  return router;
}
