import type { PlacementConstraint, PlacementStrategy } from "../../../shared/domain/placement.js";
import { EcsError } from "../../../shared/domain/errors.js";
import type { SchedulingStrategy } from "../../../shared/events/index.js";
import { filterChain, rankingOf } from "../placement/index.js";

/**
 * A service's placement settings as ECS checks them: every strategy and
 * constraint must parse, and a DAEMON service takes no strategy (it runs one
 * task on every instance).
 */
export const validatePlacement = (
  strategy: SchedulingStrategy,
  placementStrategy: readonly PlacementStrategy[],
  placementConstraints: readonly PlacementConstraint[],
): void => {
  if (strategy === "DAEMON" && placementStrategy.length > 0) {
    throw new EcsError(
      "InvalidParameterException",
      "placementStrategy: Placement strategies are not supported with the DAEMON scheduling strategy.",
    );
  }
  placementStrategy.forEach((s, i) => rankingOf(s, i));
  filterChain(placementConstraints);
};
