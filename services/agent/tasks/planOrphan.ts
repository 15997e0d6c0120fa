import type { ContainerState } from "../runtime/containerRuntime.js";
import { taskCgroupName, taskNetworkName } from "./labels.js";
import { observe } from "./observedContainer.js";
import type { TaskAction } from "./taskAction.js";

export interface OrphanSettings {
  readonly defaultStopTimeoutSeconds: number;
  readonly cleanupDelayMs: number;
}

/**
 * Containers of a task that is no longer in the manifest (PURE): stop the running ones,
 * remove the stopped ones once the cleanup delay has passed, and the task's network and
 * cgroup with the last of them (no-ops for tasks that had none). Its pause container is
 * one of its containers here.
 */
export const planOrphan = (
  taskArn: string,
  observed: readonly ContainerState[],
  now: number,
  settings: OrphanSettings,
): TaskAction[] => {
  const actions: TaskAction[] = [];
  let removing = 0;
  for (const state of observed) {
    const o = observe(state);
    if (o.phase === "running") {
      actions.push({
        kind: "stopContainer",
        container: state.name,
        id: state.id,
        timeoutSeconds: settings.defaultStopTimeoutSeconds,
      });
      continue;
    }
    const since = (state.finishedAt ?? state.createdAt).getTime();
    if (now - since >= settings.cleanupDelayMs) {
      actions.push({ kind: "removeContainer", id: state.id });
      removing++;
    }
  }
  if (observed.length > 0 && removing === observed.length) {
    actions.push({ kind: "removeNetwork", network: taskNetworkName(taskArn) });
    actions.push({ kind: "removeCgroup", cgroup: taskCgroupName(taskArn) });
  }
  return actions;
};
