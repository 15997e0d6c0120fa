import { TaskStatus } from "../../../shared/events/index.js";

type Status = TaskStatus;

/** ECS's task lifecycle in order; a task only ever moves forward through it. */
export const TASK_STATUS_ORDER: readonly Status[] = TaskStatus.options;

export const statusRank = (status: Status): number => TASK_STATUS_ORDER.indexOf(status);

export const isAfter = (a: Status, b: Status): boolean => statusRank(a) > statusRank(b);

export const laterStatus = (a: Status, b: Status | undefined): Status =>
  b !== undefined && isAfter(b, a) ? b : a;
