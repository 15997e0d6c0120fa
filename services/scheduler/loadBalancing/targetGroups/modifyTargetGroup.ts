import type { PayloadOf } from "../../../../shared/bus/index.js";
import type {
  ModifyTargetGroup,
  ModifyTargetGroupAttributes,
} from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import { validateDeregistrationDelay } from "./createTargetGroup.js";
import { healthCheckFrom, sameHealthCheck } from "./healthCheck.js";
import type { TargetGroupState } from "./targetGroupState.js";

export const targetGroupNotFound = (arn: string) =>
  elbv2Error("TargetGroupNotFound", `Target groups '${arn}' not found`);

/** The group the ARN names, ACTIVE (a name reused after a delete is another group). */
export const requireTargetGroup = (state: TargetGroupState, arn: string): void => {
  if (state.status !== "ACTIVE" || state.targetGroupArn !== arn) throw targetGroupNotFound(arn);
};

/** ModifyTargetGroup: the health check fields given change; nothing given is a no-op. */
export const decideModifyTargetGroup = (
  command: PayloadOf<typeof ModifyTargetGroup>,
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  requireTargetGroup(state, command.targetGroupArn);
  const healthCheck = healthCheckFrom(command, state.healthCheck!);
  if (sameHealthCheck(healthCheck, state.healthCheck!)) return [];
  return [
    {
      type: "TargetGroupModified",
      data: { targetGroupArn: command.targetGroupArn, healthCheck, at: ctx.now.getTime() / 1000 },
    },
  ];
};

export const DEREGISTRATION_DELAY = "deregistration_delay.timeout_seconds";

/** ModifyTargetGroupAttributes: only `deregistration_delay.timeout_seconds` is supported. */
export const decideModifyTargetGroupAttributes = (
  command: PayloadOf<typeof ModifyTargetGroupAttributes>,
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  requireTargetGroup(state, command.targetGroupArn);
  let delay: number | undefined;
  for (const { key, value } of command.attributes) {
    if (key !== DEREGISTRATION_DELAY) {
      throw elbv2Error("ValidationError", `Target group attribute key '${key}' is not supported.`);
    }
    if (!/^\d+$/.test(value)) {
      throw elbv2Error(
        "ValidationError",
        `${DEREGISTRATION_DELAY} must be an integer, got '${value}'.`,
      );
    }
    delay = Number(value);
    validateDeregistrationDelay(delay);
  }
  if (delay === undefined || delay === state.deregistrationDelaySeconds) return [];
  return [
    {
      type: "TargetGroupModified",
      data: {
        targetGroupArn: command.targetGroupArn,
        deregistrationDelaySeconds: delay,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
