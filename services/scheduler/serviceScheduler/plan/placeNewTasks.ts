import type { PlacementStrategy } from "../../../../shared/domain/placement.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import {
  place,
  placementFailureMessage,
  type PlacementCandidate,
  type PlacementFailure,
} from "../../placement/index.js";
import type { PlanInput } from "./types.js";

/**
 * Places `count` new tasks with the placement engine. A task nothing can
 * take becomes the service event ECS writes ("was unable to place a task
 * because…"), recorded again only when it changes or has aged.
 */
export const placeNewTasks = (
  input: PlanInput,
  candidates: readonly PlacementCandidate[],
  group: string,
  count: number,
  strategies: readonly PlacementStrategy[],
): { readonly instances: readonly string[]; readonly events: DomainEvent[] } => {
  const { service } = input;
  const decision = place(candidates, {
    need: input.need,
    group,
    count,
    strategies,
    constraints: service.placementConstraints,
    seed: input.seed,
    taskDefinitionArn: service.taskDefinitionArn,
    requiredAttributes: input.requiredAttributes,
  });
  const failure = decision.failures[0];
  return {
    instances: decision.placements,
    events: failure ? placementFailed(input, failure) : [],
  };
};

export const placementFailed = (input: PlanInput, failure: PlacementFailure): DomainEvent[] => {
  const { service, now } = input;
  const message = placementFailureMessage(service.created!.serviceName, failure);
  const last = service.lastPlacementFailure;
  if (
    last &&
    last.message === message &&
    now - last.at < input.settings.placementFailureRepeatSeconds
  ) {
    return [];
  }
  return [
    {
      type: "ServiceTaskPlacementFailed",
      data: {
        clusterName: service.created!.clusterName,
        serviceArn: service.created!.serviceArn,
        message,
        at: now,
      },
    },
  ];
};
