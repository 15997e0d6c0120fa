import { EcsError } from "../../../shared/domain/errors.js";
import type { DomainEvent } from "../../../shared/events/index.js";
import type { DecisionContext } from "../../../shared/aggregate/decider.js";
import type { ServiceState } from "./serviceState.js";
import { serviceNotFound } from "./updateService.js";

/**
 * DeleteService: refused while desiredCount > 0 unless forced. The service
 * goes DRAINING (desiredCount 0); the service scheduler stops its tasks and
 * marks it INACTIVE when the last one is gone. Deleting a DRAINING service
 * again changes nothing.
 */
export const decideDeleteService = (
  force: boolean,
  state: ServiceState,
  ctx: DecisionContext,
): DomainEvent[] => {
  if (state.status === "NONE" || state.status === "INACTIVE") throw serviceNotFound();
  if (state.status === "DRAINING") return [];
  if (!force && state.schedulingStrategy === "REPLICA" && state.desiredCount > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "The service cannot be stopped while it is scaled above 0.",
    );
  }
  return [
    {
      type: "ServiceDeleted",
      data: {
        clusterName: state.created!.clusterName,
        serviceArn: state.created!.serviceArn,
        force,
        at: ctx.now.getTime() / 1000,
      },
    },
  ];
};
