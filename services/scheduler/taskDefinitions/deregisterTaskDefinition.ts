import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { FamilyState } from "./familyState.js";
import type { TaskDefinitionRef } from "../../../shared/domain/taskDefinitionRef.js";

/**
 * DeregisterTaskDefinition needs an explicit revision. The revision becomes
 * INACTIVE; deregistering an INACTIVE revision again changes nothing.
 */
export const decideDeregisterTaskDefinition = (
  ref: TaskDefinitionRef,
  state: FamilyState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (ref.revision === undefined) {
    throw new EcsError(
      "ClientException",
      "taskDefinition: a revision is required, as family:revision or a full ARN.",
    );
  }
  const revision = state.revisions.get(ref.revision);
  if (!revision) {
    throw new EcsError("ClientException", "The specified task definition does not exist.");
  }
  if (revision.status === "INACTIVE") return [];
  return [
    {
      type: "TaskDefinitionDeregistered",
      data: {
        family: ref.family,
        revision: ref.revision,
        taskDefinitionArn: revision.arn,
        deregisteredAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};
