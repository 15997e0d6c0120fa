import type { TargetInput } from "../../../../shared/commands/scheduler/loadBalancingCommands.js";
import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import type { DomainEvent, Target } from "../../../../shared/events/index.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import { requireTargetGroup } from "./modifyTargetGroup.js";
import { targetKey, type TargetGroupState } from "./targetGroupState.js";

/** ELBv2's default quota of targets per target group. */
export const MAX_TARGETS = 1000;

// Flotilla agent ids may carry underscores (EC2 ids never do).
const TARGET_ID = /^[\w.:-]{1,255}$/;

/** The request's targets, each with its port (the group's when not given), deduplicated. */
export const resolveTargets = (
  targets: readonly (Target | TargetInput)[],
  state: TargetGroupState,
): Target[] => {
  const seen = new Map<string, Target>();
  for (const t of targets) {
    const target = { id: t.id, port: t.port ?? state.port! };
    if (!TARGET_ID.test(target.id)) {
      throw elbv2Error("InvalidTarget", `The target Id '${target.id}' is not valid.`);
    }
    if (!(target.port >= 1 && target.port <= 65535)) {
      throw elbv2Error(
        "InvalidTarget",
        `The target port ${target.port} must be between 1 and 65535.`,
      );
    }
    seen.set(targetKey(target), target);
  }
  return [...seen.values()];
};

/**
 * RegisterTargets: targets not yet registered, and draining ones (back to
 * initial), are registered; a target already registered is left alone.
 * `taskArns`, when given, names the task behind each target (same order).
 */
export const decideRegisterTargets = (
  targets: readonly (Target | TargetInput)[],
  taskArns: readonly string[] | undefined,
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  requireTargetGroup(state, state.targetGroupArn ?? "");
  if (taskArns !== undefined && taskArns.length !== targets.length) {
    throw elbv2Error("ValidationError", "taskArns must name one task per target.");
  }
  const taskOf = new Map<string, string>();
  targets.forEach((t, i) => {
    const arn = taskArns?.[i];
    if (arn !== undefined) taskOf.set(targetKey({ id: t.id, port: t.port ?? state.port! }), arn);
  });
  const fresh = resolveTargets(targets, state).filter((t) => {
    const known = state.targets.get(targetKey(t));
    return known === undefined || known.state === "draining";
  });
  if (fresh.length === 0) return [];
  const live = [...state.targets.values()].filter((t) => t.state !== "draining").length;
  if (live + fresh.length > MAX_TARGETS) {
    throw elbv2Error(
      "TooManyTargets",
      `You've reached the limit on the number of targets (${MAX_TARGETS}).`,
    );
  }
  const arns = fresh.map((t) => taskOf.get(targetKey(t)));
  const withTasks = arns.every((a) => a !== undefined);
  if (taskArns !== undefined && !withTasks) {
    throw elbv2Error("ValidationError", "taskArns must name one task per target.");
  }
  return [
    {
      type: "TargetsRegistered",
      data: {
        targetGroupArn: state.targetGroupArn!,
        targets: fresh,
        ...(taskArns === undefined ? {} : { taskArns: arns as string[] }),
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};

/**
 * DeregisterTargets: registered targets start draining; draining ones are left
 * alone; a target the group does not know is InvalidTarget (as in ELBv2).
 */
export const decideDeregisterTargets = (
  targets: readonly (Target | TargetInput)[],
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  requireTargetGroup(state, state.targetGroupArn ?? "");
  const resolved = resolveTargets(targets, state);
  const unknown = resolved.find((t) => !state.targets.has(targetKey(t)));
  if (unknown) {
    throw elbv2Error(
      "InvalidTarget",
      `The following targets are not registered: '${unknown.id}' port ${unknown.port}`,
    );
  }
  const leaving = resolved.filter((t) => state.targets.get(targetKey(t))?.state !== "draining");
  if (leaving.length === 0) return [];
  return [
    {
      type: "TargetsDeregistered",
      data: {
        targetGroupArn: state.targetGroupArn!,
        targets: leaving,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
