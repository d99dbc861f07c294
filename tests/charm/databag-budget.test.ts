import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DATABAG_BUDGET_BYTES,
  DatabagBudgetError,
  assertWithinDatabagBudget,
  databagBudgetProblem,
  settingsBytes,
} from "../../src/charm/databag-budget.ts";
import { ActionFailure } from "../../src/juju/index.ts";

describe("the databag budget", () => {
  it("counts keys and values as UTF-8 bytes, as Juju sums them", () => {
    assert.equal(settingsBytes({ ab: "é🔐", c: "" }), 2 + 2 + 4 + 1);
  });

  it("lets a databag of exactly 8 MiB through and refuses one byte more, naming the relation", () => {
    const fits = { k: "x".repeat(DATABAG_BUDGET_BYTES - 1) };
    assert.equal(databagBudgetProblem("certificates:7", fits), undefined);
    const over = { k: "é".repeat(DATABAG_BUDGET_BYTES / 2) };
    assert.match(databagBudgetProblem("certificates:7", over) ?? "", /certificates:7.*8\.00 MiB/);
  });

  it("throws an action failure an action reports as it is", () => {
    assert.throws(
      () => assertWithinDatabagBudget("certificates:7", { k: "x".repeat(DATABAG_BUDGET_BYTES) }),
      (error: unknown) =>
        error instanceof DatabagBudgetError &&
        error instanceof ActionFailure &&
        error.relationLabel === "certificates:7",
    );
  });
});
