/**
 * The cluster benchmark's sizes at a scale. Scale 1 is the largest run that fits the
 * suite's share of `npm run bench` on the 2-core reference machine (docs/performance.md);
 * the goal (100,000 tasks on 5,000 hollow nodes) is GOAL. The smoke test's tiny
 * scale clamps to a handful of nodes and tasks.
 */
export interface ClusterSizes {
  readonly nodes: number;
  /** Fleet processes; each holds nodes / fleets hollow nodes, so one fleet is the node loss. */
  readonly fleets: number;
  /** Tasks of the mass start, over `services` services. */
  readonly tasks: number;
  readonly services: number;
  /** Tasks of the rolling deployment's service. */
  readonly rollingTasks: number;
}

export const GOAL = { nodes: 5_000, tasks: 100_000, rollingTasks: 1_000 } as const;

/** What scale 1 runs on the reference machine. */
export const FULL = { nodes: 700, tasks: 7_000, rollingTasks: 1_000 } as const;

/** Tasks per service of the mass start. */
const TASKS_PER_SERVICE = 1_000;
/** Node loss is one fleet process: a tenth of the nodes. */
const FLEETS = 10;

export const clusterSizes = (scale: number): ClusterSizes => {
  const nodes = Math.max(2, Math.round(FULL.nodes * scale));
  const tasks = Math.max(10, Math.round(FULL.tasks * scale));
  const fleets = Math.min(FLEETS, nodes);
  return {
    nodes: Math.ceil(nodes / fleets) * fleets,
    fleets,
    tasks,
    services: Math.max(1, Math.ceil(tasks / TASKS_PER_SERVICE)),
    rollingTasks: Math.max(4, Math.round(FULL.rollingTasks * scale)),
  };
};
