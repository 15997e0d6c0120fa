import { randomUUID } from "node:crypto";
import { targetGroupNameFromArn } from "../../../../shared/domain/elbv2.js";
import { targetGroupStream } from "../../../../shared/domain/streams.js";
import type { EventMetadata } from "../../../../shared/eventstore/index.js";
import type { DomainEvent, Target } from "../../../../shared/events/index.js";
import type { SchedulerContext } from "../../context.js";
import type { DecisionContext } from "../../../../shared/aggregate/decider.js";
import { runCommand } from "../../../../shared/aggregate/runCommand.js";
import { targetGroupNotFound } from "./modifyTargetGroup.js";
import { targetGroupAggregate, targetKey, type TargetGroupState } from "./targetGroupState.js";

/** What the load balancer observed of one target. */
export interface TargetHealthObservation {
  readonly target: Target;
  readonly state: "initial" | "healthy" | "unhealthy";
  readonly reason?: string;
  readonly description?: string;
}

const ACTOR = "flotilla-load-balancer";

/**
 * A TargetHealthChanged for each observed target whose state (or reason)
 * differs from what the group holds; targets not registered, or draining,
 * are ignored (their health no longer matters).
 */
export const decideTargetHealth = (
  observations: readonly TargetHealthObservation[],
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE") return [];
  const latest = new Map(observations.map((o) => [targetKey(o.target), o]));
  const events: DomainEvent[] = [];
  for (const [key, o] of latest) {
    const known = state.targets.get(key);
    if (!known || known.state === "draining") continue;
    if (known.state === o.state && known.reason === o.reason) continue;
    events.push({
      type: "TargetHealthChanged",
      data: {
        targetGroupArn: state.targetGroupArn!,
        target: known.target,
        state: o.state,
        ...(o.reason === undefined ? {} : { reason: o.reason }),
        ...(o.description === undefined ? {} : { description: o.description }),
        at: ctx.now.getTime() / 1000,
      },
    });
  }
  return events;
};

/** TargetsDrained for the given targets that are still draining. */
export const decideTargetsDrained = (
  targets: readonly Target[],
  state: TargetGroupState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status !== "ACTIVE") return [];
  const drained = new Map<string, Target>();
  for (const t of targets) {
    const known = state.targets.get(targetKey(t));
    if (known?.state === "draining") drained.set(targetKey(t), known.target);
  }
  if (drained.size === 0) return [];
  return [
    {
      type: "TargetsDrained",
      data: {
        targetGroupArn: state.targetGroupArn!,
        targets: [...drained.values()],
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};

const onTargetGroup = async (
  ctx: SchedulerContext,
  targetGroupArn: string,
  decide: (state: TargetGroupState, dc: DecisionContext) => DomainEvent[],
): Promise<void> => {
  const name = targetGroupNameFromArn(targetGroupArn);
  if (name === undefined) throw targetGroupNotFound(targetGroupArn);
  const metadata: EventMetadata = { actor: ACTOR, correlationId: randomUUID() };
  await runCommand(
    ctx.store,
    targetGroupStream(name),
    targetGroupAggregate,
    (state) => {
      // A group of that name created again after a delete is another group.
      if (state.targetGroupArn !== targetGroupArn) return [];
      return decide(state, { now: ctx.clock(), arn: ctx.arn, actor: ACTOR });
    },
    metadata,
    () => undefined,
  );
};

/**
 * Records what the load balancer's health checks observed (the HAProxy
 * controller calls this). Appends only changes; retries on concurrency.
 */
export const recordTargetHealth = async (
  ctx: SchedulerContext,
  targetGroupArn: string,
  observations: readonly {
    target: Target;
    state: "initial" | "healthy" | "unhealthy";
    reason?: string;
    description?: string;
  }[],
): Promise<void> =>
  onTargetGroup(ctx, targetGroupArn, (state, dc) => decideTargetHealth(observations, state, dc));

/** Records that these targets finished draining: they leave the group. */
export const recordTargetsDrained = async (
  ctx: SchedulerContext,
  targetGroupArn: string,
  targets: readonly Target[],
): Promise<void> =>
  onTargetGroup(ctx, targetGroupArn, (state, dc) => decideTargetsDrained(targets, state, dc));
