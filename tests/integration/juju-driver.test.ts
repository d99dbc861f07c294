// The real-controller driver run against a stand-in `juju` (fake-juju-main.ts) that behaves as
// the snap, the CLI and `juju status` do where the driver depends on them, so that what the
// real-controller suite cannot check without a controller is checked in every `npm test`.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, describe, it } from "node:test";
import { installFakeJuju, type FakeJuju } from "./fake-juju.ts";
import { JujuCli } from "./juju-cli.ts";
import { JujuDriver } from "./juju-driver.ts";

const installed: FakeJuju[] = [];
after(() => installed.forEach((fake) => fake.remove()));

async function fakeJuju(options: {
  snap: boolean;
  modelType?: "iaas" | "caas";
}): Promise<FakeJuju> {
  const fake = await installFakeJuju({
    snap: options.snap,
    modelType: options.modelType ?? "iaas",
  });
  installed.push(fake);
  return fake;
}

function charmAt(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "tls-certificates-operator_amd64.charm");
  writeFileSync(path, "PK charm bytes");
  return path;
}

async function open(fake: FakeJuju, charm: string): Promise<JujuDriver> {
  const cli = JujuCli.locate({ env: fake.env });
  assert.ok(cli, "the fake juju is on PATH");
  return JujuDriver.create({ charm, cli, pollMs: 1, settleTimeoutMs: 10_000 });
}

const unit = (juju: string, workload = "active") => ({
  "workload-status": { current: workload, message: "" },
  "juju-status": { current: juju, since: "now" },
});
const units = (app: string, count: number) => ({
  applications: {
    [app]: {
      units: Object.fromEntries([...Array(count).keys()].map((n) => [`${app}/${n}`, unit("idle")])),
    },
  },
});

const snapCommon = (fake: FakeJuju): string => join(fake.home, "snap/juju/common");

describe("juju driver with a strictly confined snap juju", () => {
  let driver: JujuDriver | undefined;
  afterEach(async () => driver?.destroy());

  it("deploys a copy of the charm kept under ~/snap/juju/common, not the hidden original", async () => {
    const fake = await fakeJuju({ snap: true });
    const charm = charmAt(join(fake.home, ".cache/pack"));
    driver = await open(fake, charm);
    await driver.deployOperator("op");
    const deploy = fake.calls().find((argv) => argv[0] === "deploy");
    const deployed = deploy?.[1] ?? "";
    assert.ok(deployed.startsWith(`${snapCommon(fake)}/`), `deployed from ${deployed}`);
    assert.equal(readFileSync(deployed, "utf8"), "PK charm bytes");
  });

  it("passes action params in a file under ~/snap/juju/common, where the snap can read it", async () => {
    const fake = await fakeJuju({ snap: true });
    driver = await open(fake, charmAt(fake.outside));
    const outcome = await driver.runAction("op/0", "get-certificate-request", { "relation-id": 3 });
    assert.deepEqual(outcome, { status: "completed", results: { params: '{"relation-id":3}' } });
    const run = fake.calls().find((argv) => argv[0] === "run")!;
    const params = run[run.indexOf("--params") + 1]!;
    assert.ok(params.startsWith(`${snapCommon(fake)}/`), `params file at ${params}`);
  });

  it("removes its scratch directory under ~/snap/juju/common when destroyed", async () => {
    const fake = await fakeJuju({ snap: true });
    const opened = await open(fake, charmAt(fake.outside));
    await opened.deployOperator("op");
    await opened.runAction("op/0", "get-outstanding-certificate-requests");
    await opened.destroy();
    assert.deepEqual(existsSync(snapCommon(fake)) ? readdirSync(snapCommon(fake)) : [], []);
  });
});

describe("juju driver with a juju that is not a snap", () => {
  let driver: JujuDriver | undefined;
  afterEach(async () => driver?.destroy());

  it("writes action params that juju's yaml.v2 reads back unchanged, line separators and controls too", async () => {
    const fake = await fakeJuju({ snap: false });
    driver = await open(fake, charmAt(join(fake.outside, "pack")));
    const reason = 'a\u0085b\u2028c\u2029d\u007fe\u0090f\ufeffg \\ "quoted" <tag> & é🔐';
    const params = { "certificate-signing-request": "csr", reason, "relation-id": 3 };
    const outcome = await driver.runAction("op/0", "reject-certificate-request", params);
    assert.equal(outcome.status, "completed");
    assert.deepEqual(JSON.parse(String(outcome.results["params"])), params);
  });

  it("deploys the charm where it is and keeps params files in the temporary directory", async () => {
    const fake = await fakeJuju({ snap: false });
    const charm = charmAt(fake.outside);
    driver = await open(fake, charm);
    await driver.deployOperator("op");
    await driver.runAction("op/0", "get-outstanding-certificate-requests");
    const calls = fake.calls();
    assert.equal(calls.find((argv) => argv[0] === "deploy")?.[1], charm);
    const run = calls.find((argv) => argv[0] === "run")!;
    assert.ok(run[run.indexOf("--params") + 1]!.startsWith(tmpdir()));
  });

  it("reports juju's message when params fail the action's schema (stderr, exit 0, no stdout)", async () => {
    const fake = await fakeJuju({ snap: false });
    driver = await open(fake, charmAt(fake.outside));
    await assert.rejects(driver.runAction("op/0", "revoke-certificate", {}), (error: Error) => {
      assert.match(error.message, /juju run op\/0 revoke-certificate ran no task/);
      assert.match(
        error.message,
        /validation failed: \(root\) : certificate-signing-request is missing and required/,
      );
      return true;
    });
  });
});

describe("juju driver settle() on what `juju status --format=json` can hold", () => {
  let driver: JujuDriver | undefined;
  afterEach(async () => driver?.destroy());

  it("keeps waiting through status-error entries and statuses without `current`", async () => {
    const fake = await fakeJuju({ snap: false });
    driver = await open(fake, charmAt(fake.outside));
    const idle = units("op", 1);
    fake.setStatuses([
      { applications: { op: { "status-error": "cannot get application status" } } },
      { applications: { op: { units: { "op/0": { "status-error": "cannot get unit status" } } } } },
      {
        applications: {
          op: {
            units: { "op/0": { "workload-status": { "status-error": "x" }, "juju-status": {} } },
          },
        },
      },
      {
        applications: {
          op: {
            units: { "op/0": { "workload-status": {}, "juju-status": { current: "executing" } } },
          },
        },
      },
      idle,
    ]);
    await driver.settle();
    assert.equal(
      fake.calls().filter((argv) => argv[0] === "status").length,
      7,
      "four busy polls, three idle",
    );
  });

  it("names the status errors it saw when the model never settles", async () => {
    const fake = await fakeJuju({ snap: false });
    const cli = JujuCli.locate({ env: fake.env })!;
    driver = await JujuDriver.create({
      charm: charmAt(fake.outside),
      cli,
      pollMs: 1,
      settleTimeoutMs: 50,
    });
    fake.setStatuses([
      { applications: { op: { units: { "op/0": { "status-error": "unit status lost" } } } } },
    ]);
    await assert.rejects(
      driver.settle(),
      /did not settle; still busy: op\/0 \(status unavailable: unit status lost\)/,
    );
  });

  it("reads a unit's workload status without `current` as empty, and names an unreadable one", async () => {
    const fake = await fakeJuju({ snap: false });
    driver = await open(fake, charmAt(fake.outside));
    fake.setStatuses([
      { applications: { op: { units: { "op/0": { "workload-status": {}, "juju-status": {} } } } } },
      { applications: { op: { units: { "op/0": { "status-error": "unit status lost" } } } } },
    ]);
    assert.deepEqual(await driver.unitStatus("op/0"), { status: "", message: "" });
    await assert.rejects(
      driver.unitStatus("op/0"),
      /status of op\/0 unavailable: unit status lost/,
    );
  });

  it("fails at once with the message of a unit in error", async () => {
    const fake = await fakeJuju({ snap: false });
    driver = await open(fake, charmAt(fake.outside));
    const failing = {
      ...unit("idle", "error"),
      "workload-status": { current: "error", message: 'hook failed: "install"' },
    };
    fake.setStatuses([{ applications: { op: { units: { "op/0": failing } } } }]);
    await assert.rejects(driver.settle(), /op\/0 is in error: hook failed: "install"/);
  });
});

describe("juju driver on a Kubernetes model", () => {
  let driver: JujuDriver | undefined;
  afterEach(async () => driver?.destroy());

  it("takes the model type from `juju show-model`", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "caas" });
    driver = await open(fake, charmAt(fake.outside));
    assert.equal(driver.modelType, "caas");
    assert.ok(
      fake.calls().some((argv) => argv[0] === "show-model" && argv.includes("--format=json")),
    );
  });

  it("adds its model on the cloud it is given", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "caas" });
    const cli = JujuCli.locate({ env: fake.env })!;
    driver = await JujuDriver.create({ charm: charmAt(fake.outside), cli, cloud: "microk8s" });
    const add = fake.calls().find((argv) => argv[0] === "add-model");
    assert.match(add?.[1] ?? "", /^tls-it-[0-9a-f]{6}$/);
    assert.deepEqual(add?.slice(2), ["microk8s"]);
  });

  it("removes the highest-numbered unit by scaling the application down", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "caas" });
    driver = await open(fake, charmAt(fake.outside));
    fake.setStatuses([units("req", 3), units("req", 2)]);
    await driver.removeUnit("req/2");
    const remove = fake.calls().find((argv) => argv[0] === "remove-unit");
    assert.deepEqual(remove?.slice(0, 4), ["remove-unit", "req", "--num-units", "1"]);
  });

  it("refuses to remove a unit Kubernetes would not pick, before asking juju", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "caas" });
    driver = await open(fake, charmAt(fake.outside));
    fake.setStatuses([units("req", 3)]);
    await assert.rejects(
      driver.removeUnit("req/0"),
      /req\/0: on a Kubernetes model juju removes the highest-numbered unit \(req\/2\)/,
    );
    assert.equal(fake.calls().filter((argv) => argv[0] === "remove-unit").length, 0);
  });

  it("adds units with -n only", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "caas" });
    driver = await open(fake, charmAt(fake.outside));
    fake.setStatuses([units("req", 1), units("req", 3)]);
    assert.deepEqual(await driver.addUnits("req", 2), ["req/1", "req/2"]);
    assert.deepEqual(
      fake
        .calls()
        .find((argv) => argv[0] === "add-unit")
        ?.slice(0, 4),
      ["add-unit", "req", "-n", "2"],
    );
  });
});

describe("juju driver on a machine model", () => {
  it("removes the named unit", async () => {
    const fake = await fakeJuju({ snap: false, modelType: "iaas" });
    const driver = await open(fake, charmAt(fake.outside));
    fake.setStatuses([units("req", 3), units("req", 2)]);
    await driver.removeUnit("req/2");
    assert.equal(driver.modelType, "iaas");
    assert.deepEqual(
      fake
        .calls()
        .find((argv) => argv[0] === "remove-unit")
        ?.slice(0, 3),
      ["remove-unit", "req/2", "--no-prompt"],
    );
    await driver.destroy();
  });
});
