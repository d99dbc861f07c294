import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvironmentError, UNIT_HOOK_NAMES, eventFromEnvironment } from "../../src/juju/index.ts";
import { hookEnv } from "./fake-tools.ts";

describe("eventFromEnvironment", () => {
  for (const hook of UNIT_HOOK_NAMES) {
    it(`reads the unit hook ${hook}`, () => {
      const event = eventFromEnvironment(hookEnv(`hooks/${hook}`, { JUJU_HOOK_NAME: hook }));
      assert.equal(event.kind, "hook");
      assert.equal(event.name, hook);
      assert.equal(event.unitName, "tls/0");
      assert.equal(event.appName, "tls");
    });
  }

  for (const kind of ["created", "joined", "changed", "departed", "broken"] as const) {
    it(`reads the relation hook certificates-relation-${kind} with its relation`, () => {
      const event = eventFromEnvironment(
        hookEnv(`hooks/certificates-relation-${kind}`, {
          JUJU_RELATION: "certificates",
          JUJU_RELATION_ID: "certificates:7",
          JUJU_REMOTE_APP: "vault",
          JUJU_REMOTE_UNIT: kind === "created" || kind === "broken" ? "" : "vault/1",
          ...(kind === "departed" ? { JUJU_DEPARTING_UNIT: "vault/1" } : {}),
        }),
      );
      assert.equal(event.kind, "relation");
      if (event.kind !== "relation") return;
      assert.equal(event.endpoint, "certificates");
      assert.equal(event.relationKind, kind);
      assert.equal(event.relationId, 7);
      assert.equal(event.remoteApp, "vault");
      assert.equal(
        event.remoteUnit,
        kind === "created" || kind === "broken" ? undefined : "vault/1",
      );
      assert.equal(event.departingUnit, kind === "departed" ? "vault/1" : undefined);
    });
  }

  it("reads an endpoint whose name contains -relation-", () => {
    const event = eventFromEnvironment(
      hookEnv("hooks/my-relation-db-relation-changed", {
        JUJU_RELATION: "my-relation-db",
        JUJU_RELATION_ID: "my-relation-db:2",
        JUJU_REMOTE_APP: "pg",
      }),
    );
    assert.equal(event.kind === "relation" && event.endpoint, "my-relation-db");
  });

  it("reads an action with its id", () => {
    const event = eventFromEnvironment(
      hookEnv("actions/provide-certificate", {
        JUJU_ACTION_NAME: "provide-certificate",
        JUJU_ACTION_UUID: "42",
      }),
    );
    assert.deepEqual(
      [event.kind, event.name, event.kind === "action" && event.actionId],
      ["action", "provide-certificate", "42"],
    );
  });

  it("takes the hook from $0 on agents that predate JUJU_DISPATCH_PATH", () => {
    const event = eventFromEnvironment(
      hookEnv("/var/lib/juju/agents/unit-tls-0/charm/hooks/install"),
    );
    assert.equal(event.name, "install");
  });

  it("routes secret, storage and workload hooks by name", () => {
    const event = eventFromEnvironment(hookEnv("hooks/secret-changed"));
    assert.deepEqual([event.kind, event.name], ["other", "secret-changed"]);
  });

  it("refuses an environment without a unit name", () => {
    assert.throws(
      () => eventFromEnvironment({ JUJU_DISPATCH_PATH: "hooks/install" }),
      EnvironmentError,
    );
  });

  it("refuses a relation hook whose relation id is negative or not a whole number", () => {
    for (const id of ["certificates:-1", "certificates:1.5", "certificates:x"]) {
      assert.throws(
        () =>
          eventFromEnvironment(
            hookEnv("hooks/certificates-relation-changed", { JUJU_RELATION_ID: id }),
          ),
        new RegExp(`no usable JUJU_RELATION_ID \\("${id}"\\)`),
      );
    }
  });

  it("refuses a relation hook without a relation id", () => {
    assert.throws(
      () => eventFromEnvironment(hookEnv("hooks/certificates-relation-changed")),
      /JUJU_RELATION_ID/,
    );
  });
});
