// A receiver URL may carry credentials or a token (a user:password@ part, a query). The reason a
// trace was not sent goes to the Juju log, so it names the receiver without them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exportTrace } from "../../src/tracing/export.ts";
import type { DispatchTrace } from "../../src/tracing/spans.ts";
import { refusedUrl } from "./receiver.ts";

const t0 = Date.now();
const dispatch: DispatchTrace = {
  event: {
    kind: "hook",
    name: "update-status",
    unitName: "tls/0",
    appName: "tls",
    modelName: "m",
    modelUuid: "uuid",
    charmDir: "/charm",
    contextId: "ctx",
    jujuVersion: "3.6.4",
  },
  record: {
    startMs: t0,
    endMs: t0 + 5,
    handler: undefined,
    toolCalls: [],
    exitCode: 0,
    failure: undefined,
  },
};

describe("the receiver named in a failed export", () => {
  it("has no user, password or query", async () => {
    const { host } = new URL(await refusedUrl());
    const failure = await exportTrace(
      `http://admin:s3cr3t@${host}/v1/traces?token=t0k3n`,
      dispatch,
    );
    assert.equal(
      failure,
      `http://${host}/v1/traces refused the trace: connect ECONNREFUSED ${host}`,
    );
  });
});
