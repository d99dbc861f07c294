// A certificate_transfer requirer that behaves like Canonical's library
// (charmlibs.interfaces.certificate_transfer): announce v1 at relation-created, read the
// provider's application databag, fall back to one provider unit's v0 `chain`.
import { execFileSync } from "node:child_process";
import process from "node:process";

const ENDPOINT = "receive-ca-cert";

function tool(name, args) {
  return execFileSync(name, args, { encoding: "utf8" });
}

function json(name, args) {
  return JSON.parse(tool(name, [...args, "--format=json"]));
}

function isStringList(value) {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/** The library's pydantic load: only the model's keys, each JSON; any failure is "invalid". */
function load(databag, fields) {
  const data = {};
  for (const key of fields) {
    if (key in databag) data[key] = JSON.parse(databag[key]);
  }
  return data;
}

function appCertificates(databag) {
  const data = load(databag, ["certificates", "version"]);
  if (data.version !== undefined && !Number.isInteger(data.version)) throw new Error("version");
  if (data.certificates === undefined) return [];
  if (!isStringList(data.certificates)) throw new Error("certificates");
  return data.certificates;
}

function unitChain(databag) {
  const data = load(databag, ["ca", "certificate", "chain", "version"]);
  if (typeof data.ca !== "string" || typeof data.certificate !== "string") throw new Error("v0");
  if (data.chain === undefined || data.chain === null) return [];
  if (!isStringList(data.chain)) throw new Error("chain");
  return data.chain;
}

/**
 * One relation's set, and where it came from, as the library's _get_relation_data reads it.
 * A databag that fails validation gives the empty set (the library logs an error): that is
 * what a v0 requirer reads when the provider has nothing to publish.
 */
function received(relationId) {
  const rid = ["-r", String(relationId)];
  const app = json("relation-list", [...rid, "--app"]);
  const units = json("relation-list", rid);
  const databag = json("relation-get", [...rid, "--app", "-", app]) ?? {};
  let certificates;
  try {
    certificates = appCertificates(databag);
  } catch {
    return { certificates: [], source: "app-invalid" };
  }
  if (certificates.length === 0 && (databag.version ?? "0") !== "1" && units.length > 0) {
    const unitBag = json("relation-get", [...rid, "-", units[0]]) ?? {};
    try {
      return { certificates: unitChain(unitBag), source: "unit" };
    } catch {
      return { certificates: [], source: "unit-invalid" };
    }
  }
  return { certificates, source: "app" };
}

function getCertificates() {
  const all = new Set();
  const sources = {};
  for (const label of json("relation-ids", [ENDPOINT])) {
    const id = Number(label.slice(label.lastIndexOf(":") + 1));
    const { certificates, source } = received(id);
    for (const pem of certificates) all.add(pem);
    sources[String(id)] = source;
  }
  tool("action-set", [
    `certificates=${JSON.stringify([...all].sort())}`,
    `sources=${JSON.stringify(sources)}`,
  ]);
}

function announceVersion() {
  const config = json("config-get", []) ?? {};
  if (config.version !== 1 || !json("is-leader", [])) return;
  tool("relation-set", ["-r", process.env.JUJU_RELATION_ID, "--app", "version=1"]);
}

const path = process.env.JUJU_DISPATCH_PATH ?? "";
if (path === "actions/get-certificates") getCertificates();
else if (path === `hooks/${ENDPOINT}-relation-created`) announceVersion();
