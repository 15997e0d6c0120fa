import type { PlacementFilter } from "./filter.js";

export const memoryFilter: PlacementFilter = {
  name: "MEMORY",
  code: "RESOURCE:MEMORY",
  missing: "has insufficient memory available",
  accepts: (c, { need }) => need.memory <= c.remaining.memory,
};
