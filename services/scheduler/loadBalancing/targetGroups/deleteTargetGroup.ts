import type { DomainEvent } from "../../../../shared/events/index.js";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import type { TargetGroupState } from "./targetGroupState.js";

export interface DeleteTargetGroupCommand {
  readonly targetGroupArn: string;
  /** The listeners forwarding to the group (read by the handler). */
  readonly listenerArns: readonly string[];
}

/**
 * DeleteTargetGroup: refused while a listener forwards to it; a group already
 * gone is no error (as in ELBv2).
 */
export const decideDeleteTargetGroup = (
  command: DeleteTargetGroupCommand,
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE" || state.targetGroupArn !== command.targetGroupArn) return [];
  if (command.listenerArns.length > 0) {
    throw elbv2Error(
      "ResourceInUse",
      `Target group '${command.targetGroupArn}' is currently in use by a listener or a rule`,
    );
  }
  return [
    {
      type: "TargetGroupDeleted",
      data: { targetGroupArn: command.targetGroupArn, at: ctx.now.getTime() / 1000 },
    },
  ];
};
