// Runs the bundled charm through its real `dispatch`, with stand-in hook tools on PATH that
// record their argv and keep a tiny model in a JSON file. The Juju simulator does this for real;
// this only proves the process boundary of the charm itself.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { build } from "esbuild";
import { pyJsonDumps } from "../../../requirers/index.ts";
import { generateCa, signCsr } from "../../../requirers/openssl.ts";

const CHARM_SRC = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOOLS = [
  "relation-ids",
  "relation-list",
  "relation-get",
  "relation-set",
  "is-leader",
  "config-get",
  "status-set",
  "juju-log",
  "action-get",
  "action-set",
  "action-fail",
];

interface Model {
  config: Record<string, unknown>;
  leader: boolean;
  unit: string;
  relation: {
    id: number;
    remoteApp: string;
    unitBag: Record<string, string>;
    appBag: Record<string, string>;
    remoteAppBag: Record<string, string>;
  };
  calls: { argv: string[]; stdin: string }[];
  status?: string[];
  results?: Record<string, string>;
  failure?: string;
}

/** One script serves every tool; it is as small as the charm's needs. */
function toolScript(yamlUrl: string): string {
  return `
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from ${JSON.stringify(yamlUrl)};
const [tool, ...args] = process.argv.slice(2);
const file = process.env.FAKE_JUJU_STATE;
const m = JSON.parse(readFileSync(file, "utf8"));
const stdin = tool === "relation-set" ? readFileSync(0, "utf8") : "";
m.calls.push({ argv: [tool, ...args], stdin });
const out = (v) => process.stdout.write(JSON.stringify(v));
const rel = m.relation;
switch (tool) {
  case "relation-ids": out(["certificates:" + rel.id]); break;
  case "relation-list": out(args.includes("--app") ? rel.remoteApp : [rel.remoteApp + "/0"]); break;
  case "relation-get": {
    const member = args[3];
    out(member === rel.remoteApp ? rel.remoteAppBag : member === m.unit ? rel.unitBag : rel.appBag);
    break;
  }
  case "relation-set": {
    const bag = args.includes("--app") ? rel.appBag : rel.unitBag;
    for (const [k, v] of Object.entries(parse(stdin) ?? {})) { if (v === "") delete bag[k]; else bag[k] = String(v); }
    break;
  }
  case "is-leader": out(m.leader); break;
  case "config-get": out(m.config); break;
  case "status-set": m.status = args.slice(1); break;
  case "action-get": out({}); break;
  case "action-set": m.results = Object.fromEntries(args.map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)])); break;
  case "action-fail": m.failure = args[0]; break;
}
writeFileSync(file, JSON.stringify(m));
`;
}

let root = "";
let charmDir = "";
let toolsDir = "";

before(async () => {
  root = mkdtempSync(join(tmpdir(), "requirer-process-"));
  charmDir = join(root, "charm");
  toolsDir = join(root, "tools");
  mkdirSync(join(charmDir, "dist"), { recursive: true });
  mkdirSync(toolsDir);
  for (const f of ["metadata.yaml", "config.yaml", "actions.yaml", "dispatch"])
    copyFileSync(join(CHARM_SRC, f), join(charmDir, f));
  chmodSync(join(charmDir, "dispatch"), 0o755);
  // dispatch runs the charm's own runtime, as a hook's PATH has no Node.js.
  mkdirSync(join(charmDir, "bin"));
  symlinkSync(process.execPath, join(charmDir, "bin", "node"));
  await build({
    entryPoints: [join(CHARM_SRC, "src", "main.ts")],
    outfile: join(charmDir, "dist", "charm.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  const yamlUrl = pathToFileURL(createRequire(import.meta.url).resolve("yaml")).href;
  writeFileSync(join(toolsDir, "tool.mjs"), toolScript(yamlUrl));
  for (const t of TOOLS) {
    writeFileSync(
      join(toolsDir, t),
      `#!/bin/sh\nexec node "${join(toolsDir, "tool.mjs")}" ${t} "$@"\n`,
      { mode: 0o755 },
    );
  }
});

after(() => rmSync(root, { recursive: true, force: true }));

function dispatch(
  stateFile: string,
  path: string,
): { status: number | null; stderr: string; model: Model } {
  const r = spawnSync(join(charmDir, "dispatch"), [], {
    cwd: charmDir,
    encoding: "utf8",
    env: {
      PATH: `${toolsDir}:${process.env["PATH"] ?? ""}`,
      JUJU_DISPATCH_PATH: path,
      JUJU_UNIT_NAME: "tls-requirer/0",
      JUJU_MODEL_NAME: "m",
      JUJU_CHARM_DIR: charmDir,
      FAKE_JUJU_STATE: stateFile,
    },
  });
  return {
    status: r.status,
    stderr: r.stderr,
    model: JSON.parse(readFileSync(stateFile, "utf8")) as Model,
  };
}

function freshModel(config: Record<string, unknown>): string {
  const file = join(root, `model-${Math.random().toString(36).slice(2)}.json`);
  const model: Model = {
    config: { "key-type": "ec", ...config },
    leader: true,
    unit: "tls-requirer/0",
    relation: { id: 5, remoteApp: "provider", unitBag: {}, appBag: {}, remoteAppBag: {} },
    calls: [],
  };
  writeFileSync(file, JSON.stringify(model));
  return file;
}

function answer(file: string, extra: object = {}): void {
  const model = JSON.parse(readFileSync(file, "utf8")) as Model;
  const ca = generateCa("process test CA");
  const items = JSON.parse(model.relation.unitBag["certificate_signing_requests"] ?? "[]") as {
    certificate_signing_request: string;
  }[];
  const entries = items.map(({ certificate_signing_request: csr }) => {
    const certificate = signCsr(csr, ca, { isCa: false }).trim();
    return {
      ca: ca.certificatePem.trim(),
      certificate_signing_request: csr,
      certificate,
      chain: [certificate, ca.certificatePem.trim()],
      ...extra,
    };
  });
  model.relation.remoteAppBag = { certificates: pyJsonDumps(entries) };
  model.calls = [];
  writeFileSync(file, JSON.stringify(model));
}

describe("the bundled requirer charm as a process", () => {
  it("publishes a CSR, accepts the answer and reports it through the hook tools", () => {
    const file = freshModel({});
    const joined = dispatch(file, "hooks/certificates-relation-joined");
    assert.equal(joined.status, 0, joined.stderr);
    const set = joined.model.calls.find((c) => c.argv[0] === "relation-set");
    assert.deepEqual(set?.argv, ["relation-set", "-r", "5", "--file", "-"]);
    assert.match(
      joined.model.relation.unitBag["certificate_signing_requests"] ?? "",
      /"ca": false\}\]$/,
    );
    assert.deepEqual(joined.model.status, ["active", "0/1 certificate requests are fulfilled"]);
    assert.ok(
      joined.model.calls.some(
        (c) => c.argv.join(" ") === "relation-get -r 5 - provider --app --format=json",
      ),
    );

    answer(file);
    const changed = dispatch(file, "hooks/certificates-relation-changed");
    assert.equal(changed.status, 0, changed.stderr);
    assert.deepEqual(changed.model.status, ["active", "1/1 certificate requests are fulfilled"]);
    assert.equal(changed.model.calls.filter((c) => c.argv[0] === "relation-set").length, 0);

    const got = dispatch(file, "actions/get-certificate");
    assert.equal(got.status, 0, got.stderr);
    const certs = JSON.parse(got.model.results?.["certificates"] ?? "[]") as unknown[];
    assert.equal(certs.length, 1);
  });

  it("exits non-zero when the emulated library would raise", () => {
    const file = freshModel({ library: "v3" });
    assert.equal(dispatch(file, "hooks/certificates-relation-joined").status, 0);
    answer(file, { recommended_expiry_notification_time: "soon" });
    const changed = dispatch(file, "hooks/certificates-relation-changed");
    assert.equal(changed.status, 1);
    assert.match(
      changed.stderr,
      /RequirerLibraryError: TypeError: bad operand type for abs\(\): 'str'/,
    );
  });
});
