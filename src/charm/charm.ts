import { EventRouter, type ActionContext } from "../juju/index.ts";
import { getCertificateRequest } from "./actions/get-certificate-request.ts";
import { getOutstandingCertificateRequests } from "./actions/get-outstanding-certificate-requests.ts";
import { rejectCertificateRequest } from "./actions/reject-certificate-request.ts";
import { revokeCertificate } from "./actions/revoke-certificate.ts";
import { CERTIFICATES_ENDPOINT, reconcile } from "./reconcile.ts";

// Loaded on demand: only provide-certificate pays for parsing certificates.
async function provideCertificate(context: ActionContext): Promise<void> {
  const { provideCertificate: run } = await import("./actions/provide-certificate.ts");
  await run(context);
}

async function getIssuedCertificates(context: ActionContext): Promise<void> {
  const { getIssuedCertificates: run } = await import("./actions/get-issued-certificates.ts");
  run(context);
}

/** What the charm reacts to. Every hook reconciles; the actions are the operator's interface. */
export function createCharm(): EventRouter {
  return new EventRouter()
    .observe("install", reconcile)
    .observe("start", reconcile)
    .observe("upgrade-charm", reconcile)
    .observe("config-changed", reconcile)
    .observe("leader-elected", reconcile)
    .observe("leader-settings-changed", reconcile)
    .observe("update-status", reconcile)
    .observeRelation(
      CERTIFICATES_ENDPOINT,
      ["created", "joined", "changed", "departed", "broken"],
      reconcile,
    )
    .observeAction("get-outstanding-certificate-requests", getOutstandingCertificateRequests)
    .observeAction("get-certificate-request", getCertificateRequest)
    .observeAction("provide-certificate", provideCertificate)
    .observeAction("get-issued-certificates", getIssuedCertificates)
    .observeAction("revoke-certificate", revokeCertificate)
    .observeAction("reject-certificate-request", rejectCertificateRequest);
}
