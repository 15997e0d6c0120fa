import type { PlacementFilter } from "./filter.js";

/** DRAINING and INACTIVE instances take no new tasks. */
export const activeFilter: PlacementFilter = {
  name: "STATUS",
  code: "INSTANCE_STATUS",
  missing: "is not ACTIVE",
  accepts: (c) => c.status === "ACTIVE",
};
