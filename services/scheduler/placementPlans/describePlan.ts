import type { PayloadOf, ReplyOf } from "../../../shared/bus/index.js";
import type { PlanPlacement } from "../../../shared/commands/scheduler/index.js";
import {
  place,
  placementFailureMessage,
  type PlacementCandidate,
  type PlacementFailure,
  type PlacementRequest,
} from "../placement/index.js";

export type PlanPlacementPayload = PayloadOf<typeof PlanPlacement>;
export type PlanPlacementReply = ReplyOf<typeof PlanPlacement>;

/** Whose tasks are planned: a service (ECS's service-event wording) or a task definition. */
export type PlanSubject =
  | { readonly kind: "service"; readonly serviceName: string }
  | { readonly kind: "taskDefinition"; readonly name: string };

/**
 * The sentence ECS writes as a service event, e.g. "(service web) was unable
 * to place a task because…"; for a task definition the head names it
 * instead: "(task-definition web:3) was unable to place a task because…".
 */
export const planFailureMessage = (subject: PlanSubject, failure: PlacementFailure): string => {
  if (subject.kind === "service") return placementFailureMessage(subject.serviceName, failure);
  const probe = "\u0000";
  const message = placementFailureMessage(probe, failure);
  return `(task-definition ${subject.name})${message.slice(`(service ${probe})`.length)}`;
};

/**
 * The dry run's answer, pure: the engine's decision over the candidates, each
 * placement with the instance's EC2 id and zone, each failure with the
 * closest instance, what it lacks, the engine's code and ECS's sentence.
 */
export const describePlan = (
  candidates: readonly PlacementCandidate[],
  request: PlacementRequest,
  subject: PlanSubject,
): PlanPlacementReply => {
  const decision = place(candidates, request);
  const byArn = new Map(candidates.map((c) => [c.containerInstanceArn, c]));
  return {
    placements: decision.placements.map((arn) => {
      const c = byArn.get(arn);
      const zone = c?.attributes["ecs.availability-zone"];
      return {
        containerInstanceArn: arn,
        ec2InstanceId: c?.ec2InstanceId ?? "",
        ...(zone === undefined ? {} : { availabilityZone: zone }),
      };
    }),
    failures: decision.failures.map((f) => ({
      reason: f.reason,
      ...(f.closest
        ? {
            closestContainerInstanceArn: f.closest.arn,
            missing: f.closest.missing,
            code: f.closest.code,
          }
        : {}),
      message: planFailureMessage(subject, f),
    })),
  };
};
