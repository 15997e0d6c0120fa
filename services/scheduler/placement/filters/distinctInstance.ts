import { countGroupTasks } from "../groupTasks.js";
import type { PlacementFilter } from "./filter.js";

/**
 * ECS: "each task in a particular group is running on a different container
 * instance": an instance already running a task of the group (including one
 * placed earlier in the same batch) is out.
 */
export const distinctInstanceFilter: PlacementFilter = {
  name: "distinctInstance",
  code: "CONSTRAINT:distinctInstance",
  missing: 'encountered error "DistinctInstance placement constraint unsatisfied."',
  accepts: (c, { group }) => countGroupTasks(c.tasks, group) === 0,
};
