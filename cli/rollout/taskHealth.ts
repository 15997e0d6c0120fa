import type { EcsTask } from "../ecsShapes.js";

/**
 * Whether a task counts as healthy in the progress view: RUNNING and, when its
 * task definition has a container health check, reported HEALTHY; without a
 * health check, RUNNING is as healthy as ECS can tell.
 */
export const isHealthy = (task: EcsTask, healthChecked: boolean): boolean =>
  task.lastStatus === "RUNNING" &&
  task.desiredStatus === "RUNNING" &&
  (healthChecked ? task.healthStatus === "HEALTHY" : task.healthStatus !== "UNHEALTHY");

/** Healthy tasks per deployment id (the task's `startedBy`). */
export const healthyByDeployment = (
  tasks: readonly EcsTask[],
  healthChecked: (taskDefinitionArn: string) => boolean,
): ReadonlyMap<string, number> => {
  const counts = new Map<string, number>();
  for (const t of tasks) {
    if (t.startedBy === undefined || !isHealthy(t, healthChecked(t.taskDefinitionArn))) continue;
    counts.set(t.startedBy, (counts.get(t.startedBy) ?? 0) + 1);
  }
  return counts;
};
