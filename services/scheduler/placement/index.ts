/** The placement engine: pure functions from instances and a request to a decision. */
export {
  place,
  placementFailureMessage,
  NO_INSTANCES,
  NO_INSTANCE_MET_REQUIREMENTS,
} from "./place.js";
export { chooseTasksToStop } from "./scaleIn.js";
export { DEFAULT_SERVICE_STRATEGIES, rankingOf } from "./strategies/index.js";
export { filterChain, BASE_FILTERS } from "./filters/index.js";
export type { PlacementFilter, FilterContext } from "./filters/index.js";
export { parsePlacementQuery, matchesPlacementQuery } from "./query.js";
export type { PlacementQuery, QuerySubject } from "./query.js";
export { seededRng } from "./rng.js";
export type { Rng } from "./rng.js";
export { withTask, withoutTask } from "./candidates.js";
export {
  PlacementStrategy,
  PlacementConstraint,
  type CandidateTask,
  type InstanceStatus,
  type MissingCode,
  type PlacementCandidate,
  type PlacementDecision,
  type PlacementFailure,
  type PlacementRequest,
} from "./types.js";
