import { canonicalJson } from "../../../shared/domain/canonicalJson.js";
import {
  ContainerStatus,
  type ContainerStateReport,
  type DomainEvent,
  type TaskStateChanged,
} from "../../../shared/events/index.js";
import { lifecycleIndex, type TaskState } from "./taskState.js";
import { taskNotFound } from "./stopTask.js";

export type TaskStateReport = Omit<TaskStateChanged, "clusterName" | "taskArn">;

const sameContainers = (report: TaskStateReport, state: TaskState): boolean =>
  report.containers.every((c) => canonicalJson(state.containers.get(c.name)) === canonicalJson(c));

/** A report without attachments leaves them as they are; one with them must match. */
const sameAttachments = (report: TaskStateReport, state: TaskState): boolean =>
  report.attachments === undefined ||
  canonicalJson(report.attachments) === canonicalJson(state.attachments ?? []);

const containerIndex = (s: ContainerStateReport["lastStatus"]): number =>
  ContainerStatus.options.indexOf(s);

/**
 * The containers of a report that is behind the task (a late or replayed one) that do not
 * move backwards either: a stale entry (PENDING after RUNNING) is left out, so the task
 * keeps what it knows. A report at or ahead of the task is taken whole (a container
 * restarted in place goes STOPPED → RUNNING within a RUNNING task).
 */
const notBehind = (report: TaskStateReport, state: TaskState): TaskStateReport["containers"] =>
  report.containers.filter((c) => {
    const known = state.containers.get(c.name);
    return known === undefined || containerIndex(c.lastStatus) >= containerIndex(known.lastStatus);
  });

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
  const containers = forward ? report.containers : notBehind(report, state);
  // A report behind the task does not move its attachments back either.
  const { attachments, ...rest } = report;
  const recorded = forward && attachments !== undefined ? { attachments } : {};
  if (
    lastStatus === state.lastStatus &&
    sameContainers({ ...report, containers }, state) &&
    sameAttachments({ ...rest, ...recorded }, state)
  ) {
    return [];
  }
  return [
    {
      type: "TaskStateChanged",
      data: {
        ...rest,
        ...recorded,
        lastStatus,
        containers,
        clusterName: state.created.clusterName,
        taskArn: state.created.taskArn,
      },
    },
  ];
};
