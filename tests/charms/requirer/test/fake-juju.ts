// An in-memory Juju for the requirer charm's in-process tests: state in, one event, state out.

import type { CharmEnv, CharmEvent } from "../src/context.ts";
import type { Databag, HookTools, LogLevel, StatusName } from "../src/hook-tools.ts";

export interface FakeRelation {
  id: number;
  remoteApp: string;
  remoteUnits: string[];
  unitBag: Databag;
  appBag: Databag;
  remoteAppBag: Databag;
}

export class FakeJuju implements HookTools {
  config: Record<string, unknown> = {};
  leader = true;
  relation: FakeRelation | undefined;
  status: { status: StatusName; message: string } | undefined;
  logs: { level: LogLevel; message: string }[] = [];
  sets: { app: boolean; data: Databag }[] = [];
  actionParams: Record<string, unknown> = {};
  results: Record<string, string> | undefined;
  failure: string | undefined;

  constructor(readonly env: CharmEnv) {}

  relate(remoteApp = "provider", id = 7): FakeRelation {
    this.relation = {
      id,
      remoteApp,
      remoteUnits: [`${remoteApp}/0`],
      unitBag: {},
      appBag: {},
      remoteAppBag: {},
    };
    return this.relation;
  }

  #rel(id: number): FakeRelation {
    if (this.relation?.id !== id) throw new Error(`relation not found: ${id}`);
    return this.relation;
  }

  relationIds(endpoint: string): number[] {
    return endpoint === "certificates" && this.relation ? [this.relation.id] : [];
  }
  relationUnits(id: number): string[] {
    return [...this.#rel(id).remoteUnits];
  }
  remoteApp(id: number): string | undefined {
    return this.#rel(id).remoteApp;
  }
  relationGet(id: number, member: string, app: boolean): Databag {
    const rel = this.#rel(id);
    if (member === this.env.unitName && !app) return { ...rel.unitBag };
    if (member === this.env.appName && app) {
      if (!this.leader) throw new Error("permission denied");
      return { ...rel.appBag };
    }
    if (member === rel.remoteApp && app) return { ...rel.remoteAppBag };
    throw new Error(`cannot read ${member} (app=${app})`);
  }
  relationSet(id: number, data: Databag, app: boolean): void {
    const rel = this.#rel(id);
    if (app && !this.leader) throw new Error("cannot write relation settings");
    const bag = app ? rel.appBag : rel.unitBag;
    for (const [k, v] of Object.entries(data)) {
      if (v === "") delete bag[k];
      else bag[k] = v;
    }
    this.sets.push({ app, data: { ...data } });
  }
  isLeader(): boolean {
    return this.leader;
  }
  configGet(): Record<string, unknown> {
    return { ...this.config };
  }
  statusSet(status: StatusName, message: string): void {
    this.status = { status, message };
  }
  log(level: LogLevel, message: string): void {
    this.logs.push({ level, message });
  }
  actionGet(): Record<string, unknown> {
    return { ...this.actionParams };
  }
  actionSet(results: Record<string, string>): void {
    this.results = { ...this.results, ...results };
  }
  actionFail(message: string): void {
    this.failure = message;
  }
}

export function testEnv(
  charmDir: string,
  event: CharmEvent,
  unitName = "tls-requirer/0",
): CharmEnv {
  const [appName = "", n = "0"] = unitName.split("/");
  return {
    unitName,
    appName,
    unitNumber: Number(n),
    modelName: "test-model",
    modelUuid: "0f5a2c1e-uuid",
    charmDir,
    event,
  };
}
