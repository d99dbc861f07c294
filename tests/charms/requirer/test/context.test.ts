import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { charmEnvFrom, eventOf } from "../src/context.ts";
import { StateDir } from "../src/state.ts";

describe("what the charm reads from its environment", () => {
  it("tells hooks from actions by JUJU_DISPATCH_PATH", () => {
    assert.deepEqual(eventOf("hooks/certificates-relation-changed"), {
      kind: "hook",
      name: "certificates-relation-changed",
    });
    assert.deepEqual(eventOf("actions/get-certificate"), {
      kind: "action",
      name: "get-certificate",
    });
  });

  it("takes names from the unit and model variables and the charm dir from JUJU_CHARM_DIR", () => {
    const env = charmEnvFrom(
      {
        JUJU_UNIT_NAME: "tls-requirer/12",
        JUJU_MODEL_NAME: "m",
        JUJU_MODEL_UUID: "u-1",
        JUJU_DISPATCH_PATH: "hooks/install",
        JUJU_CHARM_DIR: "/charm",
      },
      "/cwd",
    );
    assert.deepEqual(env, {
      unitName: "tls-requirer/12",
      appName: "tls-requirer",
      unitNumber: 12,
      modelName: "m",
      modelUuid: "u-1",
      charmDir: "/charm",
      event: { kind: "hook", name: "install" },
    });
  });

  it("falls back to the working directory and the model name", () => {
    const env = charmEnvFrom(
      { JUJU_UNIT_NAME: "a/0", JUJU_MODEL_NAME: "m", JUJU_DISPATCH_PATH: "hooks/start" },
      "/cwd",
    );
    assert.equal(env.charmDir, "/cwd");
    assert.equal(env.modelUuid, "m");
  });

  it("refuses to run without a unit name", () => {
    assert.throws(() =>
      charmEnvFrom({ JUJU_MODEL_NAME: "m", JUJU_DISPATCH_PATH: "hooks/start" }, "/"),
    );
  });

  it("keeps each model's units apart in the shared charm dir", () => {
    assert.equal(
      new StateDir("/charm", "u-1", "tls-requirer/3").path,
      "/charm/.state/u-1/tls-requirer-3",
    );
  });
});
