// The hook tools Juju 3.6's agent serves (internal/worker/uniter/runner/jujuc/server.go:
// baseCommands, secretCommands, storageCommands, leaderCommands, resourceCommands,
// payloadCommands, actionCommands). The simulator implements some; the rest must stay absent from
// the hook's PATH, so that a charm calling one fails loudly, and the fidelity page must name them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { TOOLS } from "../simulator/hook-tool/run.ts";
import { deployed, inHook } from "./helpers.ts";

const JUJU_TOOLS = [
  "action-fail",
  "action-get",
  "action-log",
  "action-set",
  "add-metric",
  "application-version-set",
  "close-port",
  "config-get",
  "credential-get",
  "goal-state",
  "is-leader",
  "juju-log",
  "juju-reboot",
  "k8s-raw-get",
  "k8s-raw-set",
  "k8s-spec-get",
  "k8s-spec-set",
  "leader-get",
  "leader-set",
  "network-get",
  "open-port",
  "opened-ports",
  "payload-register",
  "payload-status-set",
  "payload-unregister",
  "pod-spec-get",
  "pod-spec-set",
  "relation-get",
  "relation-ids",
  "relation-list",
  "relation-model-get",
  "relation-set",
  "resource-get",
  "secret-add",
  "secret-get",
  "secret-grant",
  "secret-ids",
  "secret-info-get",
  "secret-remove",
  "secret-revoke",
  "secret-set",
  "state-delete",
  "state-get",
  "state-set",
  "status-get",
  "status-set",
  "storage-add",
  "storage-get",
  "storage-list",
  "unit-get",
];

const FIDELITY = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../docs/explanation/simulator-fidelity.md",
);

test("every tool the simulator serves is one Juju has", () => {
  assert.deepEqual(
    Object.keys(TOOLS).filter((name) => !JUJU_TOOLS.includes(name)),
    [],
  );
});

test("Juju's other tools are not on the hook's PATH: calling one fails with 127", async () => {
  const absent = JUJU_TOOLS.filter((name) => !Object.hasOwn(TOOLS, name));
  const fx = await deployed(1);
  const { results } = await inHook(
    fx,
    "app/0",
    "update-status",
    absent.map((name) => [name]),
  );
  assert.deepEqual(
    results.map((r, i) => `${absent[i]} ${r.code}`),
    absent.map((name) => `${name} 127`),
  );
});

test("the fidelity page names each tool the simulator does not implement", () => {
  const page = readFileSync(FIDELITY, "utf8").replace(/\s+/g, " ");
  const absent = JUJU_TOOLS.filter((name) => !Object.hasOwn(TOOLS, name));
  assert.deepEqual(
    absent.filter((name) => !page.includes(`\`${name}\``)),
    [],
  );
});
