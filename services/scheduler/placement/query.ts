import {
  matchesClusterQuery,
  parseClusterQuery,
  type ClusterQuery,
  type QuerySource,
} from "../../../shared/domain/clusterQuery/index.js";
import type { PlacementCandidate } from "./types.js";

/**
 * The `memberOf` constraint's expression: ECS's cluster query language
 * (shared/domain/clusterQuery), with errors naming the request's field.
 */
export type PlacementQuery = ClusterQuery;
export type { QuerySubject } from "../../../shared/domain/clusterQuery/index.js";

const MEMBER_OF: QuerySource = { field: "placementConstraints.expression", noun: "expression" };

/** Parses a memberOf expression; anything unreadable is an InvalidParameterException. */
export const parsePlacementQuery = (text: string): PlacementQuery =>
  parseClusterQuery(text, MEMBER_OF);

/** Whether the instance is a member of the set the query describes. */
export const matchesPlacementQuery = (query: PlacementQuery, c: PlacementCandidate): boolean =>
  matchesClusterQuery(query, c);
