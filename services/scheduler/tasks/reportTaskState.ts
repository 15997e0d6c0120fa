import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import type { DomainEvent, TaskStateChanged } from "../../../shared/events/index.js";
import { lifecycleIndex, type TaskState } from "./taskState.js";
import { taskNotFound } from "./stopTask.js";

export type TaskStateReport = Omit<TaskStateChanged, "clusterName" | "taskArn">;

const sameContainers = (report: TaskStateReport, state: TaskState): boolean =>
  report.containers.every((c) => canonicalJson(state.containers.get(c.name)) === canonicalJson(c));

/**
 * A state report from the task's agent. Reports are idempotent (a repeat is
 * not recorded) and never move the task backwards in ECS's lifecycle; after
 * STOPPED nothing more is recorded. The first STOPPED also releases the task's
 * reservation on its instance (decided by the caller on the instance stream).
 */
export const decideReportTaskState = (report: TaskStateReport, state: TaskState): DomainEvent[] => {
  if (!state.created) throw taskNotFound();
  if (state.lastStatus === "STOPPED") return [];
  const forward = lifecycleIndex(report.lastStatus) >= lifecycleIndex(state.lastStatus);
  const lastStatus = forward || state.lastStatus === "NONE" ? report.lastStatus : state.lastStatus;
  if (lastStatus === state.lastStatus && sameContainers(report, state)) return [];
  return [
    {
      type: "TaskStateChanged",
      data: {
        ...report,
        lastStatus,
        clusterName: state.created.clusterName,
        taskArn: state.created.taskArn,
      },
    },
  ];
};
