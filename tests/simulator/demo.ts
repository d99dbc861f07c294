// `npm run demo`: the whole manual flow on a simulated model, printed as a person would see it.
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
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

say("A second requirer, whose certificates come from a separate PKI team, as a batch");
shell("juju deploy tls-requirer web -n 3 --config key-type=ec");
await sim.deploy("web", REQUIRER_DIR, { units: 3, config: { "key-type": "ec" } });
shell(`juju integrate ${OPERATOR}:certificates web:certificates`);
await sim.integrate(`${OPERATOR}:certificates`, "web:certificates");
const table = async (): Promise<void> => {
  shell(`juju run ${LEADER} get-outstanding-certificate-requests format=text`);
  const run = await sim.runAction(LEADER, "get-outstanding-certificate-requests", {
    format: "text",
  });
  for (const line of String(run.results["result"]).split("\n")) console.log(`  ${line}`);
};
await table();

say("Export the CSRs for the PKI team; their signed certificates come back in a directory");
shell(
  `juju run ${LEADER} get-outstanding-certificate-requests format=pem --format=json | jq -r '.[].results.result' > outstanding.pem`,
);
const work = mkdtempSync(join(tmpdir(), "pki-team-"));
mkdirSync(join(work, "signed"));
const webRequests = (await outstanding(sim)).filter((r) => r.application_name === "web");
const pkiCa = makeCa({ commonName: "PKI Team Issuing CA" });
webRequests.forEach((request, i) =>
  writeFileSync(join(work, "signed", `cert-${i}.pem`), signCsr(request.csr, pkiCa)),
);
writeFileSync(join(work, "ca.pem"), pkiCa.pem);
console.log(`  signed/: ${readdirSync(join(work, "signed")).join(" ")}`);

say("Build a params file with the how-to's script and hand the whole batch back in one run");
const readme = readFileSync(join(CHARM_DIR, "docs/how-to/pki-team-batches.md"), "utf8");
const script = /```sh\n(\s*# build-params\.sh[\s\S]*?)```/.exec(readme)?.[1] ?? "";
writeFileSync(join(work, "build-params.sh"), script.replace(/^ {3}/gm, ""));
shell("sh build-params.sh signed");
execFileSync("sh", ["build-params.sh", "signed"], { cwd: work });
shell(`juju run ${LEADER} provide-certificates --params params.yaml`);
// `juju run --params` reads the file as YAML into the action's parameters (cmd/juju/action/run.go).
const params = parse(readFileSync(join(work, "params.yaml"), "utf8"), { version: "1.1" }) as Record<
  string,
  unknown
>;
const batch = await sim.runAction(LEADER, "provide-certificates", params);
if (batch.status !== "completed") throw new Error(`provide-certificates failed: ${batch.message}`);
console.log(
  `  provided: ${batch.results["provided"]}  refused: ${batch.results["refused"]}  unmatched: ${batch.results["unmatched"]}`,
);
for (const entry of JSON.parse(String(batch.results["result"])) as Record<string, unknown>[]) {
  console.log(
    `  ${entry["position"]}. ${entry["subject"]} -> ${entry["unit_name"] ?? entry["reason"]}`,
  );
}

say("web/0 renews its certificate: the listing tells the renewal apart");
shell("juju run web/0 renew");
await sim.runAction("web/0", "renew");
await table();

say("Set a signing policy: each requirer application may have only names of its own");
const policy = [
  "enforcement: reject",
  "applications:",
  ...["tls-requirer", "web", "shop", "mallory"].flatMap((app) => [
    `  ${app}:`,
    `    dns: ["**.${app}.demo"]`,
  ]),
  "",
].join("\n");
writeFileSync(join(work, "policy.yaml"), policy);
shell("cat policy.yaml");
for (const line of policy.trimEnd().split("\n")) console.log(`  ${line}`);
shell(`juju config ${OPERATOR} signing-policy=@policy.yaml`);
await sim.config(OPERATOR, { "signing-policy": policy });

say("Two more requirers: shop asks for its own names, mallory for a bank's login page");
shell("juju deploy tls-requirer shop -n 2");
await sim.deploy("shop", REQUIRER_DIR, { units: 2 });
shell("juju deploy tls-requirer mallory --config common-name=login.bank.example");
await sim.deploy("mallory", REQUIRER_DIR, { config: { "common-name": "login.bank.example" } });
for (const app of ["shop", "mallory"]) {
  shell(`juju integrate ${OPERATOR}:certificates ${app}:certificates`);
  await sim.integrate(`${OPERATOR}:certificates`, `${app}:certificates`);
}
shell("juju status");
showStatus(sim);
await table();

say("mallory's requirer library reads why its request was refused (charmlibs request_errors)");
shell("juju run mallory/0 get-certificate");
console.log(`  ${String(await received(sim, "mallory/0"))}`);

say("The PKI team signs whatever it is given; the policy still refuses mallory's certificate");
const newcomers = sim
  .state()
  .relations.filter((relation) =>
    relation.ends.some((end) => ["shop", "mallory"].includes(end.app)),
  );
const everyCsr: { csr: string }[] = [];
for (const relation of newcomers) {
  const run = await sim.runAction(LEADER, "get-certificate-request", {
    "relation-id": relation.id,
  });
  everyCsr.push(...(JSON.parse(String(run.results["result"])) as { csr: string }[]));
}
const policyBatch = everyCsr.map((request) => signCsr(request.csr, pkiCa)).join("\n");
shell(`juju run ${LEADER} provide-certificates --params params.yaml`);
const checked = await sim.runAction(LEADER, "provide-certificates", {
  certificates: Buffer.from(policyBatch).toString("base64"),
  "ca-certificate": Buffer.from(pkiCa.pem).toString("base64"),
});
console.log(
  `  provided: ${checked.results["provided"]}  refused: ${checked.results["refused"]}  unmatched: ${checked.results["unmatched"]}`,
);
for (const entry of JSON.parse(String(checked.results["result"])) as Record<string, unknown>[]) {
  console.log(
    `  ${entry["position"]}. ${entry["subject"]} -> ${entry["unit_name"] ?? entry["reason"]}`,
  );
}

await sim.runHook(`${OPERATOR}/0`, "update-status");
shell("juju status");
showStatus(sim);
console.log(`\nThe simulated model is in ${sim.dir}`);
