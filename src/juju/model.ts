import { CharmState } from "./charm-state.ts";
import type { HookTools, WorkloadStatus } from "./hook-tools.ts";
import { Relation } from "./relation.ts";
import { validate, type StandardSchema } from "./schema.ts";

export interface ModelOptions {
  readonly unitName: string;
  /** Peer endpoints, where every unit may read the application databag. */
  readonly peerEndpoints?: readonly string[];
  /** The relation of a relation hook, whose remote app Juju already told us. */
  readonly hookRelation?: { readonly id: number; readonly remoteApp: string };
}

export interface Status {
  readonly status: WorkloadStatus;
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** This unit's view of the model: itself, its application, leadership, relations, config. */
export class Model {
  readonly unitName: string;
  readonly appName: string;
  /** What the unit keeps between hooks, committed with the relation data. */
  readonly charmState: CharmState;
  private readonly relationsById = new Map<number, Relation>();
  private unitStatus: Status | undefined;
  private leader: boolean | undefined;

  constructor(
    readonly tools: HookTools,
    private readonly options: ModelOptions,
  ) {
    this.unitName = options.unitName;
    this.appName = options.unitName.split("/")[0] ?? "";
    this.charmState = new CharmState(tools);
  }

  isLeader(): boolean {
    // Juju guarantees the answer for the lease; within one dispatch it does not change for us.
    this.leader ??= this.tools.isLeader();
    return this.leader;
  }

  /** The live relations of an endpoint, in Juju's order. */
  relations(endpoint: string): Relation[] {
    return this.tools.relationIds(endpoint).map((label) => {
      const id = Number(label.slice(label.lastIndexOf(":") + 1));
      return this.relationFor(endpoint, id);
    });
  }

  /** A live relation of the endpoint by id, or undefined if there is none. */
  relation(endpoint: string, id: number): Relation | undefined {
    return this.relations(endpoint).find((relation) => relation.id === id);
  }

  /** Reads config-get once and checks it against the charm's schema. */
  config<T>(schema: StandardSchema<T>): T {
    const result = validate(schema, this.tools.configGet());
    if (result.ok) return result.value;
    throw new ConfigError(result.problems);
  }

  /** The status shown once the handler succeeds; the last call wins. */
  setUnitStatus(status: WorkloadStatus, message: string): void {
    this.unitStatus = { status, message };
  }

  /**
   * Sends every databag write in one relation-set per bag, the charm state, then the unit status.
   * Juju applies the settings and the state in one transaction at the end of the hook.
   */
  commit(): void {
    for (const relation of this.relationsById.values()) {
      for (const bag of relation.changedDatabags()) {
        this.tools.relationSet(relation.id, bag.owner.kind === "app", bag.pendingChanges());
      }
    }
    this.charmState.commit();
    if (this.unitStatus) this.tools.statusSet(this.unitStatus.status, this.unitStatus.message);
  }

  private relationFor(endpoint: string, id: number): Relation {
    let relation = this.relationsById.get(id);
    if (!relation) {
      const hookRelation = this.options.hookRelation;
      relation = new Relation(endpoint, id, {
        tools: this.tools,
        localUnit: this.unitName,
        localApp: this.appName,
        isLeader: () => this.isLeader(),
        isPeer: this.options.peerEndpoints?.includes(endpoint) ?? false,
        knownRemoteApp: hookRelation?.id === id ? hookRelation.remoteApp : undefined,
      });
      this.relationsById.set(id, relation);
    }
    return relation;
  }
}
