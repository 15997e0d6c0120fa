import type { PlacementFilter } from "./filter.js";

export const cpuFilter: PlacementFilter = {
  name: "CPU",
  code: "RESOURCE:CPU",
  missing: "has insufficient CPU units available",
  accepts: (c, { need }) => need.cpu <= c.remaining.cpu,
};
