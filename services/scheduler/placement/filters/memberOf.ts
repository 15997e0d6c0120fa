import { matchesPlacementQuery, parsePlacementQuery } from "../query.js";
import type { PlacementFilter } from "./filter.js";

/** Only instances the cluster query expression selects; a bad expression throws at once. */
export const memberOfFilter = (expression: string): PlacementFilter => {
  const query = parsePlacementQuery(expression);
  return {
    name: `memberOf(${expression})`,
    code: "CONSTRAINT:memberOf",
    missing: 'encountered error "MemberOf placement constraint unsatisfied."',
    accepts: (c) => matchesPlacementQuery(query, c),
  };
};
