import { ActionFailure, type ActionContext, type Model, type Relation } from "../../juju/index.ts";
import { CERTIFICATES_ENDPOINT } from "../endpoints.ts";

/** Only the leader reads and writes our application databag, so every action runs there. */
export function requireLeader({ model, event }: ActionContext): void {
  if (!model.isLeader()) {
    throw new ActionFailure(
      `${model.unitName} is not the leader; run this action on the leader: ` +
        `juju run ${model.appName}/leader ${event.name} ...`,
    );
  }
}

export function certificatesRelations(model: Model): Relation[] {
  const relations = model.relations(CERTIFICATES_ENDPOINT);
  if (relations.length === 0) {
    throw new ActionFailure(
      `No certificates relation has been created yet: integrate a requirer with ` +
        `${model.appName}:${CERTIFICATES_ENDPOINT} first.`,
    );
  }
  return relations;
}

/** The relations an action works on: all of them, or the one named by relation-id. */
export function selectRelations(model: Model, relationId: number | undefined): Relation[] {
  const relations = certificatesRelations(model);
  if (relationId === undefined) return relations;
  const relation = relations.find((candidate) => candidate.id === relationId);
  if (!relation) {
    const known = relations.map((candidate) => candidate.id).join(", ");
    throw new ActionFailure(
      `relation-id ${relationId} is not a ${CERTIFICATES_ENDPOINT} relation of ` +
        `${model.appName}; its ${CERTIFICATES_ENDPOINT} relations are: ${known}`,
    );
  }
  return [relation];
}
