import type { PlacementStrategy } from "../../../../shared/domain/placement.js";
import type { DomainEvent } from "../../../../shared/events/index.js";
import {
  place,
  placementFailureMessage,
  type PlacementCandidate,
  type PlacementFailure,
} from "../../placement/index.js";
import { newTasksByProvider } from "../../../../shared/domain/capacityProviders/strategy.js";
import type { PlanInput } from "./types.js";

/**
 * Places `count` new tasks with the placement engine. A task nothing can
 * take becomes the service event ECS writes ("was unable to place a task
 * because…"), recorded again only when it changes or has aged.
 *
 * Through capacity providers (`input.providers`), the count is first split
 * by the strategy toward its split of the new total (newTasksByProvider over
 * `existing`, the service's tasks by provider), and each provider's share is
 * placed on its own candidates only: a provider without room leaves its share
 * unplaced (as ECS does), it never overflows to another provider.
 */
export const placeNewTasks = (
  input: PlanInput,
  candidates: readonly PlacementCandidate[],
  group: string,
  count: number,
  strategies: readonly PlacementStrategy[],
  existing: ReadonlyMap<string, number> = new Map(),
): { readonly instances: readonly string[]; readonly events: DomainEvent[] } => {
  const { service, providers } = input;
  const request = {
    need: input.need,
    group,
    strategies,
    constraints: service.placementConstraints,
    seed: input.seed,
    taskDefinitionArn: service.taskDefinitionArn,
    requiredAttributes: input.requiredAttributes,
  };
  if (!providers) {
    const decision = place(candidates, { ...request, count });
    const failure = decision.failures[0];
    return {
      instances: decision.placements,
      events: failure ? placementFailed(input, failure) : [],
    };
  }
  const shares = newTasksByProvider(providers.strategy, existing, count);
  const instances: string[] = [];
  let failure: PlacementFailure | undefined;
  providers.strategy.forEach((item, i) => {
    const share = shares[i]!;
    if (share === 0) return;
    const own = candidates.filter(
      (c) => providers.providerOf.get(c.containerInstanceArn) === item.capacityProvider,
    );
    const decision = place(own, { ...request, count: share });
    instances.push(...decision.placements);
    failure ??= decision.failures[0];
  });
  return { instances, events: failure ? placementFailed(input, failure) : [] };
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
