import type { PayloadOf } from "../../../../shared/bus/index.js";
import type { CreateTargetGroup } from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { ELB_NAME, elbv2Error, elbv2Id, targetGroupArn } from "../../../../shared/domain/elbv2.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import {
  DEFAULT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_HEALTH_CHECK,
  healthCheckFrom,
  sameHealthCheck,
} from "./healthCheck.js";
import type { TargetGroupState } from "./targetGroupState.js";

export type CreateTargetGroupCommand = PayloadOf<typeof CreateTargetGroup>;

export const validateElbName = (kind: string, name: string): void => {
  if (!ELB_NAME.test(name)) {
    throw elbv2Error(
      "ValidationError",
      `${kind} name '${name}' can have a maximum of 32 characters, can contain only alphanumeric characters and hyphens, and must not begin or end with a hyphen.`,
    );
  }
};

export const validatePort = (port: number): void => {
  if (!(port >= 1 && port <= 65535)) {
    throw elbv2Error("ValidationError", `Port must be between 1 and 65535, got ${port}.`);
  }
};

/**
 * CreateTargetGroup (HTTP, target type instance). As in ELBv2, creating a
 * group that exists with the same settings returns it; different settings are
 * DuplicateTargetGroupName.
 */
export const decideCreateTargetGroup = (
  command: CreateTargetGroupCommand,
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  validateElbName("Target group", command.name);
  const protocol = command.protocol ?? "HTTP";
  if (protocol !== "HTTP") {
    throw elbv2Error("ValidationError", `Protocol '${protocol}' is not supported; use HTTP.`);
  }
  const targetType = command.targetType ?? "instance";
  if (targetType !== "instance") {
    throw elbv2Error(
      "ValidationError",
      `Target type '${targetType}' is not supported; use instance.`,
    );
  }
  if (command.port === undefined) {
    throw elbv2Error("ValidationError", "A port must be specified for an HTTP target group.");
  }
  validatePort(command.port);
  const healthCheck = healthCheckFrom(command, DEFAULT_HEALTH_CHECK);
  const delay = command.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS;
  validateDeregistrationDelay(delay);
  if (state.status === "ACTIVE") {
    const same =
      state.port === command.port &&
      sameHealthCheck(state.healthCheck!, healthCheck) &&
      (command.deregistrationDelaySeconds === undefined ||
        state.deregistrationDelaySeconds === delay);
    if (same) return [];
    throw elbv2Error(
      "DuplicateTargetGroupName",
      `A target group with the same name '${command.name}' exists, but with different settings`,
    );
  }
  const id = elbv2Id("targetgroup", ctx.arn.accountId, command.name, ctx.now.toISOString());
  return [
    {
      type: "TargetGroupCreated",
      data: {
        targetGroupArn: targetGroupArn(ctx.arn, command.name, id),
        targetGroupName: command.name,
        protocol: "HTTP",
        port: command.port,
        targetType: "instance",
        healthCheck,
        deregistrationDelaySeconds: delay,
        createdAt: ctx.now.getTime() / 1000,
      },
    },
  ];
};

export const validateDeregistrationDelay = (seconds: number): void => {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw elbv2Error(
      "ValidationError",
      `deregistration_delay.timeout_seconds must be between 0 and 3600, got ${seconds}.`,
    );
  }
};
