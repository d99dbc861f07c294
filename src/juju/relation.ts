import { Databag } from "./databag.ts";
import { ModelAccessError } from "./errors.ts";
import type { HookTools } from "./hook-tools.ts";

export interface RelationContext {
  readonly tools: HookTools;
  readonly localUnit: string;
  readonly localApp: string;
  readonly isLeader: () => boolean;
  readonly isPeer: boolean;
  /** Known from the hook environment for the relation of a relation hook. */
  readonly knownRemoteApp?: string | undefined;
}

/** One relation of one endpoint, seen from this unit. */
export class Relation {
  private readonly bags = new Map<string, Databag>();
  private remoteAppName: string | undefined;

  constructor(
    readonly endpoint: string,
    readonly id: number,
    private readonly context: RelationContext,
  ) {
    this.remoteAppName = context.knownRemoteApp || undefined;
  }

  /** Remote units currently in the relation (departed ones are gone), sorted by Juju. */
  get units(): readonly string[] {
    return this.context.tools.relationUnits(this.id);
  }

  get remoteApp(): string {
    this.remoteAppName ??= this.context.tools.relationRemoteApp(this.id);
    return this.remoteAppName;
  }

  /** The databag of a remote unit, or of this unit (the only unit bag we may write). */
  unitData(unit: string): Databag {
    const local = unit === this.context.localUnit;
    return this.bag(`unit:${unit}`, () => {
      const tools = this.context.tools;
      return new Databag(
        this.id,
        { kind: "unit", name: unit, local },
        () => tools.relationGetUnit(this.id, unit),
        local,
        `cannot write the databag of unit ${unit} on ${this.label}: only its own charm can`,
      );
    });
  }

  get remoteAppData(): Databag {
    const app = this.remoteApp;
    return this.bag(`app:${app}`, () => {
      const tools = this.context.tools;
      return new Databag(
        this.id,
        { kind: "app", name: app, local: false },
        () => tools.relationGetApp(this.id, app),
        false,
        `cannot write the databag of application ${app} on ${this.label}: only its leader can`,
      );
    });
  }

  /**
   * Our application's databag. Juju lets only the leader read it on a non-peer relation and
   * only the leader write it anywhere; both are checked here, before any hook tool runs.
   */
  get localAppData(): Databag {
    const { localApp, isLeader, isPeer, tools } = this.context;
    const leader = isLeader();
    if (!leader && !isPeer) {
      throw new ModelAccessError(
        `only the leader may read application ${localApp}'s databag on ${this.label}`,
      );
    }
    return this.bag(`app:${localApp}`, () => {
      return new Databag(
        this.id,
        { kind: "app", name: localApp, local: true },
        () => tools.relationGetApp(this.id, localApp),
        leader,
        `only the leader may write application ${localApp}'s databag on ${this.label}`,
      );
    });
  }

  get label(): string {
    return `${this.endpoint}:${this.id}`;
  }

  /** Databags with writes that have not reached Juju yet. */
  changedDatabags(): Databag[] {
    return [...this.bags.values()].filter((bag) => Object.keys(bag.pendingChanges()).length > 0);
  }

  private bag(key: string, create: () => Databag): Databag {
    let bag = this.bags.get(key);
    if (!bag) {
      bag = create();
      this.bags.set(key, bag);
    }
    return bag;
  }
}
