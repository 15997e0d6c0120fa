import type { Capacity } from "../../../../shared/domain/resources.js";
import type { MissingCode, PlacementCandidate } from "../types.js";

/** What every filter sees besides the instance: the task's needs and its group. */
export interface FilterContext {
  readonly need: Capacity;
  readonly group: string;
}

/** One step of the filter chain: a binding rule an instance passes or fails. */
export interface PlacementFilter {
  readonly name: string;
  readonly code: MissingCode;
  /** ECS's wording for an instance that fails this filter, to follow its id. */
  readonly missing: string;
  readonly accepts: (candidate: PlacementCandidate, ctx: FilterContext) => boolean;
}
