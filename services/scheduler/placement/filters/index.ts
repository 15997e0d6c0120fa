import { EcsError } from "../../../../shared/domain/errors.js";
import type { PlacementConstraint } from "../types.js";
import { activeFilter } from "./active.js";
import { agentConnectedFilter } from "./agentConnected.js";
import { cpuFilter } from "./cpu.js";
import { distinctInstanceFilter } from "./distinctInstance.js";
import type { PlacementFilter } from "./filter.js";
import { memberOfFilter } from "./memberOf.js";
import { memoryFilter } from "./memory.js";
import { portsFilter } from "./ports.js";
import { requiredAttributesFilter } from "./requiredAttributes.js";

export type { FilterContext, PlacementFilter } from "./filter.js";

/** ECS's fixed filters, in ECS's order. */
export const BASE_FILTERS: readonly PlacementFilter[] = [
  cpuFilter,
  memoryFilter,
  portsFilter,
  agentConnectedFilter,
  activeFilter,
];

const constraintFilter = (c: PlacementConstraint, index: number): PlacementFilter => {
  switch (c.type) {
    case "distinctInstance":
      if (c.expression !== undefined && c.expression !== "") {
        throw new EcsError(
          "InvalidParameterException",
          `placementConstraints[${index}]: a distinctInstance constraint takes no expression.`,
        );
      }
      return distinctInstanceFilter;
    case "memberOf":
      if (c.expression === undefined || c.expression.trim() === "") {
        throw new EcsError(
          "InvalidParameterException",
          `placementConstraints[${index}]: a memberOf constraint needs an expression.`,
        );
      }
      return memberOfFilter(c.expression);
    default: {
      const _exhaustive: never = c.type;
      throw new EcsError(
        "InvalidParameterException",
        `placementConstraints[${index}]: unknown type.`,
      );
    }
  }
};

/**
 * The whole chain: the fixed filters, the attributes the task definition requires (when
 * any), then the constraints in the order given.
 */
export const filterChain = (
  constraints: readonly PlacementConstraint[],
  requiredAttributes: readonly string[] = [],
): PlacementFilter[] => [
  ...BASE_FILTERS,
  ...(requiredAttributes.length > 0 ? [requiredAttributesFilter(requiredAttributes)] : []),
  ...constraints.map(constraintFilter),
];
