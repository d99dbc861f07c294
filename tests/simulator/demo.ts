// `npm run demo`: the whole manual flow on a simulated model, printed as a person would see it.
import { X509Certificate } from "node:crypto";
import { makeCa, signCsr } from "../x509/fixtures.ts";
import {
  CHARM_DIR,
  LEADER,
  OPERATOR,
  REQUIRER_DIR,
  outstanding,
  provide,
  received,
} from "../e2e/harness.ts";
import { Simulator } from "./index.ts";

const say = (text: string) => console.log(`\n\x1b[1m${text}\x1b[0m`);
const shell = (text: string) => console.log(`$ ${text}`);

function showStatus(sim: Simulator): void {
  const state = sim.state();
  for (const [appName, app] of Object.entries(state.applications)) {
    for (const [unitName, unit] of Object.entries(state.units)) {
      if (!unitName.startsWith(`${appName}/`)) continue;
      const name = unitName + (app.leader === unitName ? "*" : " ");
      console.log(
        `  ${name.padEnd(30)} ${unit.workload.status.padEnd(8)} ${unit.workload.message}`,
      );
    }
  }
}

const sim = await Simulator.create({ modelName: "demo" });
say("Deploy the operator and a requirer charm (2 units) on a simulated Juju model");
shell(`juju deploy ${OPERATOR}`);
await sim.deploy(OPERATOR, CHARM_DIR);
shell("juju deploy tls-requirer -n 2");
await sim.deploy("tls-requirer", REQUIRER_DIR, { units: 2 });
shell(`juju integrate ${OPERATOR}:certificates tls-requirer:certificates`);
await sim.integrate(`${OPERATOR}:certificates`, "tls-requirer:certificates");
shell("juju status");
showStatus(sim);

say("List the requests waiting for a certificate");
shell(`juju run ${LEADER} get-outstanding-certificate-requests`);
const requests = await outstanding(sim);
for (const request of requests) {
  console.log(`  relation ${request.relation_id}  ${request.unit_name}  is_ca=${request.is_ca}`);
}

say("Sign each CSR with a CA made on the spot (openssl), then provide it");
const ca = makeCa({ commonName: "Demo Root CA" });
console.log(`  CA: ${new X509Certificate(ca.pem).subject}`);
for (const request of requests) {
  shell(
    `openssl x509 -req -in csr.pem -CA ca.pem -CAkey ca.key -copy_extensions copy -out cert.pem`,
  );
  const certificate = signCsr(request.csr, ca);
  shell(
    `juju run ${LEADER} provide-certificate certificate-signing-request="$(base64 -w0 csr.pem)" ` +
      `certificate="$(base64 -w0 cert.pem)" ca-certificate="$(base64 -w0 ca.pem)"`,
  );
  const run = await provide(sim, { csr: request.csr, certificate, caCertificate: ca.pem });
  if (run.status !== "completed") throw new Error(`provide-certificate failed: ${run.message}`);
  console.log(
    `  ${run.results["result"]} -> ${run.results["unit-name"]} (${run.results["subject"]})`,
  );
}

say("Each requirer unit received its certificate");
for (const request of requests) {
  const unit = request.unit_name ?? "tls-requirer/leader";
  shell(`juju run ${unit} get-certificate`);
  const got = await received(sim, unit);
  if (!Array.isArray(got) || got.length === 0)
    throw new Error(`${unit} has no certificate: ${String(got)}`);
  for (const entry of got) {
    const certificate = new X509Certificate(entry.certificate);
    console.log(`  ${certificate.subject.replace(/\n/g, ", ")}  valid to ${certificate.validTo}`);
  }
}

await sim.runHook(`${OPERATOR}/0`, "update-status");
shell("juju status");
showStatus(sim);
console.log(`\nThe simulated model is in ${sim.dir}`);
