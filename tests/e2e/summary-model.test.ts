// The summary the leader keeps between hooks never lies (issue 24): random sequences of what
// happens to a deployment (requirers come and go, their units write, withdraw and change
// requests in every library's format, the operator provides, revokes and rejects, the config
// changes, leadership moves, a hook fails and is resolved, the charm is upgraded), and after
// every step, once the model has settled, the leader's status, every databag and every kept
// entry are compared with what a full look computes from the same relations: the same hook run
// once more with the charm state removed. SIM_SEED replays a sequence; SUMMARY_MODEL_STEPS
// sets how many steps run (500 by default).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Simulator } from "../simulator/index.ts";
import { seededRandom } from "../simulator/seed.ts";
import { requirerDatabag } from "../requirers/writers.ts";
import { LIBRARY_VERSIONS, type LibraryVersion } from "../requirers/types.ts";
import { CHARM_DIR, SILENT_REQUIRER } from "../robustness/sim-model.ts";
import { counter, report } from "../robustness/tally.ts";
import { makeCa, makeCsr, signCsr } from "../x509/fixtures.ts";

const OPERATOR = "tls-certificates-operator";
const STEPS = Number(process.env["SUMMARY_MODEL_STEPS"] ?? 500);
const SEQUENCE_LENGTH = 100;
const tallies = counter();

// CSRs with their certificates, made once: names under robust.example, which the policies
// below allow, and a few under elsewhere.example, which they do not.
const ca = makeCa({ commonName: "Summary Model CA" });
const POOL = Array.from({ length: 14 }, (_, i) => {
  const name = i % 5 === 4 ? `n${i}.elsewhere.example` : `n${i}.robust.example`;
  const csr = makeCsr({ commonName: name, sans: [`DNS:${name}`] }).pem.trim();
  return { csr, certificate: signCsr(csr, ca).trim() };
});
const certificateOf = new Map(POOL.map(({ csr, certificate }) => [csr, certificate]));
const POLICIES = [
  null,
  ...(["warn", "refuse", "reject"] as const).map((enforcement) =>
    [
      `enforcement: ${enforcement}`,
      "applications:",
      '  "*":',
      '    dns: ["*.robust.example"]',
      "  req-c:",
      '    dns: ["only.req-c.example"]',
      "",
    ].join("\n"),
  ),
];
const b64 = (text: string) => Buffer.from(text).toString("base64");

interface Requirer {
  readonly app: string;
  readonly relationId: number;
  readonly version: LibraryVersion;
  /** Requests go in the application databag (app mode), not the units'. */
  readonly appMode: boolean;
  units: string[];
  /** What each bag (a unit, or the app) asks for now. */
  readonly asked: Map<string, string[]>;
}

class Sequence {
  private readonly requirers: Requirer[] = [];
  private readonly operatorUnits: string[] = [];
  private nextApp = 0;
  private readonly random: () => number;

  constructor(
    readonly sim: Simulator,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  async start(): Promise<void> {
    await this.sim.deploy(OPERATOR, CHARM_DIR, { units: 2 });
    this.operatorUnits.push(`${OPERATOR}/0`, `${OPERATOR}/1`);
    await this.addRequirer();
  }

  get leader(): string | null {
    return this.sim.leader(OPERATOR);
  }

  /** One step, chosen at random among those that make sense now. */
  async step(): Promise<string> {
    const steps: [number, string, () => Promise<void>][] = [
      [this.requirers.length < 4 ? 2 : 0, "add a requirer", () => this.addRequirer()],
      [this.requirers.length > 1 ? 1 : 0, "remove a relation", () => this.removeRequirer()],
      [this.requirers.length > 0 ? 2 : 0, "add a requirer unit", () => this.addRequirerUnit()],
      [
        this.requirers.length > 0 ? 1 : 0,
        "remove a requirer unit",
        () => this.removeRequirerUnit(),
      ],
      [this.requirers.length > 0 ? 8 : 0, "write requests", async () => this.writeRequests()],
      [this.requirers.length > 0 ? 6 : 0, "provide-certificate", () => this.provide()],
      [this.requirers.length > 0 ? 2 : 0, "provide-certificates", () => this.provideBatch()],
      [this.requirers.length > 0 ? 2 : 0, "revoke-certificate", () => this.revoke()],
      [this.requirers.length > 0 ? 2 : 0, "reject-certificate-request", () => this.reject()],
      [2, "change the config", () => this.changeConfig()],
      [1, "move leadership", () => this.moveLeadership()],
      [
        this.requirers.length > 0 ? 3 : 0,
        "an action before the hooks of a change",
        () => this.actBeforeHooks(),
      ],
      [this.requirers.length > 0 ? 1 : 0, "leadership moves mid-hook", () => this.moveMidHook()],
      [1, "remove the leader's unit", () => this.replaceLeaderUnit()],
      [1, "fail a hook and resolve it", () => this.failAndResolve()],
      [1, "upgrade-charm", () => this.upgrade()],
    ];
    const total = steps.reduce((sum, [weight]) => sum + weight, 0);
    let draw = this.random() * total;
    for (const [weight, name, run] of steps) {
      draw -= weight;
      if (draw < 0) {
        await run();
        await this.sim.settle();
        tallies.add(`step: ${name}`);
        return name;
      }
    }
    throw new Error("no step drawn");
  }

  private async addRequirer(options: { settle?: boolean } = {}): Promise<void> {
    const app = `req-${String.fromCharCode(97 + (this.nextApp++ % 26))}${this.nextApp > 26 ? this.nextApp : ""}`;
    const units = 1 + Math.floor(this.random() * 3);
    await this.sim.deploy(app, SILENT_REQUIRER, { units, ...options });
    const relationId = await this.sim.integrate(
      `${OPERATOR}:certificates`,
      `${app}:certificates`,
      options,
    );
    const version = this.pick(LIBRARY_VERSIONS);
    this.requirers.push({
      app,
      relationId,
      version,
      appMode: (version === "v4" || version === "charmlibs") && this.chance(0.4),
      units: Array.from({ length: units }, (_, i) => `${app}/${i}`),
      asked: new Map(),
    });
  }

  private async removeRequirer(): Promise<void> {
    const requirer = this.pick(this.requirers);
    this.requirers.splice(this.requirers.indexOf(requirer), 1);
    await this.sim.removeRelation(requirer.relationId);
  }

  private async addRequirerUnit(): Promise<void> {
    const requirer = this.pick(this.requirers);
    requirer.units.push(await this.sim.addUnit(requirer.app));
  }

  private async removeRequirerUnit(): Promise<void> {
    const requirer = this.pick(this.requirers);
    if (requirer.units.length < 2) return;
    const unit = this.pick(requirer.units);
    requirer.units = requirer.units.filter((u) => u !== unit);
    requirer.asked.delete(unit);
    await this.sim.removeUnit(unit);
  }

  /** A unit (or the app) asks for a new set: some kept, some withdrawn, some new. */
  private writeRequests(): void {
    const requirer = this.pick(this.requirers);
    const owner = requirer.appMode ? requirer.app : this.pick(requirer.units);
    const csrs = POOL.filter(() => this.chance(0.15)).map(({ csr }) => csr);
    requirer.asked.set(owner, csrs);
    const bag = requirerDatabag(
      requirer.version,
      csrs.map((csr) => ({ csr, isCa: this.chance(0.1) })),
    );
    this.sim.setRelationData(requirer.relationId, owner, bag, { notify: true });
  }

  /** A CSR someone asks for, with where it is asked. */
  private askedRequest(): { requirer: Requirer; owner: string; csr: string } | undefined {
    const asked = this.requirers.flatMap((requirer) =>
      [...requirer.asked].flatMap(([owner, csrs]) => csrs.map((csr) => ({ requirer, owner, csr }))),
    );
    return asked.length === 0 ? undefined : this.pick(asked);
  }

  private async action(name: string, params: Record<string, unknown>): Promise<void> {
    const leader = this.leader;
    if (leader === null) return;
    const run = await this.sim.runAction(leader, name, params);
    tallies.add(`${name}: ${run.status}`);
  }

  private async provide(): Promise<void> {
    const request = this.askedRequest();
    if (!request) return;
    const where: Record<string, unknown> = {};
    if (this.chance(0.5)) where["relation-id"] = request.requirer.relationId;
    if (!request.requirer.appMode && this.chance(0.4)) where["unit-name"] = request.owner;
    await this.action("provide-certificate", {
      "certificate-signing-request": b64(request.csr),
      certificate: b64(certificateOf.get(request.csr)!),
      "ca-certificate": b64(ca.pem),
      ...where,
    });
  }

  private async provideBatch(): Promise<void> {
    const certificates = POOL.filter(() => this.chance(0.3)).map((entry) => entry.certificate);
    if (certificates.length === 0) return;
    await this.action("provide-certificates", {
      certificates: b64(certificates.join("\n")),
      "ca-certificate": b64(ca.pem),
    });
  }

  private async revoke(): Promise<void> {
    const request = this.askedRequest();
    if (!request) return;
    await this.action("revoke-certificate", {
      "certificate-signing-request": b64(request.csr),
      ...(this.chance(0.5) ? { "relation-id": request.requirer.relationId } : {}),
    });
  }

  private async reject(): Promise<void> {
    const request = this.askedRequest();
    if (!request) return;
    await this.action("reject-certificate-request", {
      "certificate-signing-request": b64(request.csr),
      reason: "not for this deployment",
      ...(this.chance(0.5) ? { "relation-id": request.requirer.relationId } : {}),
    });
  }

  private async changeConfig(options: { settle?: boolean } = {}): Promise<void> {
    const change = this.pick(["policy", "expiry", "bundle"] as const);
    const values: Record<string, unknown> =
      change === "policy"
        ? { "signing-policy": this.pick(POLICIES) }
        : change === "expiry"
          ? { "expiry-warning-days": this.pick([0, 30, 100, 3650]) }
          : { "trusted-certificate-bundle": this.pick([null, ca.pem]) };
    await this.sim.config(OPERATOR, values, options);
  }

  /**
   * Something changes and, before any hook has run for it, the operator runs an action: Juju's
   * resolver takes the action first (internal/worker/uniter/resolver.go).
   */
  private async actBeforeHooks(): Promise<void> {
    const change = this.pick(["requests", "requirer", "unit", "config"] as const);
    if (change === "requests") this.writeRequests();
    else if (change === "requirer") await this.addRequirer({ settle: false });
    else if (change === "unit") {
      const requirer = this.pick(this.requirers);
      requirer.units.push(await this.sim.addUnit(requirer.app, { settle: false }));
    } else await this.changeConfig({ settle: false });
    tallies.add(`queued before an action: ${change}`);
    const action = this.pick([
      () => this.provide(),
      () => this.provideBatch(),
      () => this.revoke(),
      () => this.reject(),
    ]);
    await action();
  }

  /** The lease passes to the other unit (or to nobody) while the leader's hook runs. */
  private async moveMidHook(): Promise<void> {
    const leader = this.leader;
    if (leader === null) return;
    const others = this.operatorUnits.filter((unit) => unit !== leader);
    this.sim.moveLeadershipOnToolCall({
      app: OPERATOR,
      tool: this.pick(["relation-get", "state-get", "status-set"]),
      to: this.chance(0.7) ? this.pick(others) : null,
    });
    this.writeRequests();
    await this.sim.settle();
    await this.resolveErrors();
  }

  /** The leader's unit goes (nobody leads for a while) and a new unit takes its place. */
  private async replaceLeaderUnit(): Promise<void> {
    const leader = this.leader;
    if (leader === null) return;
    this.operatorUnits.splice(this.operatorUnits.indexOf(leader), 1);
    await this.sim.removeUnit(leader);
    this.operatorUnits.push(await this.sim.addUnit(OPERATOR));
  }

  private async resolveErrors(): Promise<void> {
    for (const unit of this.operatorUnits) {
      if (this.sim.agentStatus(unit).status !== "error") continue;
      tallies.add("hooks failed and resolved");
      await this.sim.resolve(unit);
    }
  }

  private async moveLeadership(): Promise<void> {
    const others = this.operatorUnits.filter((unit) => unit !== this.leader);
    await this.sim.setLeader(this.pick(others));
  }

  /** The next call of a tool fails in whichever unit's hook makes it; the operator resolves it. */
  private async failAndResolve(): Promise<void> {
    const requirer = this.requirers.length > 0 ? this.pick(this.requirers) : undefined;
    if (requirer === undefined) return;
    this.sim.injectFault({
      tool: this.pick(["status-set", "state-get", "state-set", "relation-get", "relation-set"]),
    });
    await this.writeRequestsOf(requirer);
    await this.sim.settle();
    // A fault no hook met must not fire later, in the check.
    this.sim.clearFaults();
    await this.resolveErrors();
  }

  private async writeRequestsOf(requirer: Requirer): Promise<void> {
    const owner = requirer.appMode ? requirer.app : this.pick(requirer.units);
    const csrs = POOL.filter(() => this.chance(0.2)).map(({ csr }) => csr);
    requirer.asked.set(owner, csrs);
    this.sim.setRelationData(
      requirer.relationId,
      owner,
      requirerDatabag(
        requirer.version,
        csrs.map((csr) => ({ csr, isCa: false })),
      ),
      { notify: true },
    );
  }

  private async upgrade(): Promise<void> {
    for (const unit of this.operatorUnits) await this.sim.runHook(unit, "upgrade-charm");
  }

  /**
   * The check: what the hooks kept and showed, against update-status run with nothing kept,
   * which looks at every relation. Every kept entry must be what the full look finds, the status
   * what it shows, and the full look must find nothing to write. A relation with no entry (the
   * action that read it in part forgot it) is read by the next hook: its absence is not a lie,
   * but the status may then wait for that hook.
   */
  async check(after: string): Promise<void> {
    const leader = this.leader;
    if (leader === null) {
      tallies.add("checks skipped: no leader");
      return;
    }
    const keptState = this.sim.charmState(leader);
    const shown = this.sim.unitStatus(leader);
    const bags = this.sim.state().relations;
    this.sim.setCharmState(leader, {});
    const run = await this.sim.runHook(leader, "update-status");
    assert.equal(run.exitCode, 0, run.stderr);
    const full = this.sim.unitStatus(leader);
    const fullState = entries(this.sim.charmState(leader));
    const context = `after "${after}" (leader ${leader})`;
    assert.deepEqual(
      this.sim.state().relations,
      bags,
      `the full look wrote what hooks had not, ${context}`,
    );
    const kept = entries(keptState);
    assert.deepEqual(kept["summary"], fullState["summary"], `summary basis ${context}`);
    let complete = true;
    for (const key of Object.keys(fullState)) {
      if (key === "summary") continue;
      if (kept[key] === undefined) complete = false;
      else assert.deepEqual(kept[key], fullState[key], `${key} ${context}`);
    }
    for (const key of Object.keys(kept)) {
      assert.ok(key in fullState, `${key} kept for a relation that is gone, ${context}`);
    }
    if (complete) {
      assert.deepEqual(
        [shown.status, shown.message],
        [full.status, full.message],
        `status ${context}`,
      );
      tallies.add("checks, status compared");
    } else tallies.add("checks, a relation left for the next hook");
    // Carry on with what the hooks kept, so that a stale entry has every chance to show later.
    this.sim.setCharmState(leader, keptState);
  }
}

/** The kept entries, without when the last full look ran. */
function entries(state: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    if (key === "summary") delete parsed["full-look"];
    out[key] = parsed;
  }
  return out;
}

// Two sequences at a time: each waits on its hook processes most of the time.
describe("the kept summary against a full look, on random sequences", { concurrency: 2 }, () => {
  const sequences = Math.max(1, Math.ceil(STEPS / SEQUENCE_LENGTH));
  for (let n = 0; n < sequences; n++) {
    const steps = Math.min(SEQUENCE_LENGTH, STEPS - n * SEQUENCE_LENGTH);
    it(`sequence ${n + 1} of ${sequences}: ${steps} steps, each checked`, async (t) => {
      const started = Date.now();
      const sim = await Simulator.create();
      const sequence = new Sequence(sim, sim.seed * 31 + n);
      await sequence.start();
      await sequence.check("deploy");
      const done: string[] = [];
      for (let i = 0; i < steps; i++) {
        const name = await sequence.step();
        done.push(name);
        try {
          await sequence.check(name);
        } catch (error) {
          t.diagnostic(`steps so far: ${done.join(", ")}`);
          throw error;
        }
      }
      t.diagnostic(
        `${sim.hookLog().length} hooks and actions ran in ${Date.now() - started} ms; state ${JSON.stringify(sim.state()).length} bytes; test process CPU ${Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000)} ms`,
      );
      if (n === sequences - 1) report(t, "summary model", tallies);
    });
  }
});
