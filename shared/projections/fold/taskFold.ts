import type { TaskCreated, TaskStateChanged, TaskStopRequested } from "../../events/index.js";
import {
  containerPatches,
  pendingContainers,
  taskCreatedRow,
  type ContainerRow,
} from "../taskProjection.js";
import { at, insertNew, type ProjectionFold } from "./foldState.js";
import { replaceTagsInMemory } from "./tagFold.js";

const atOrNull = (epochSeconds: number | undefined): Date | null =>
  epochSeconds === undefined ? null : at(epochSeconds);

/** taskProjection in memory. */
export const taskFold: ProjectionFold = {
  tables: ["tasks"],
  fold(state, event) {
    switch (event.type) {
      case "TaskCreated": {
        const d = event.data as TaskCreated;
        insertNew("tasks", state.tasks, d.taskArn, {
          ...taskCreatedRow(d, event, pendingContainers(d) as unknown as Record<string, unknown>[]),
          // The column's default.
          attachments: "[]",
          stop_code: null,
          stopped_reason: null,
          pull_started_at: null,
          pull_stopped_at: null,
          started_at: null,
          stopping_at: null,
          execution_stopped_at: null,
          stopped_at: null,
        });
        replaceTagsInMemory(state, d.taskArn, d.tags);
        return;
      }
      case "TaskStopRequested": {
        const d = event.data as TaskStopRequested;
        const row = state.tasks.get(d.taskArn);
        if (!row) return;
        // The first stop code (with its reason) stands; later requests only repeat the desire.
        row.desired_status = "STOPPED";
        if (row.stop_code === null) {
          row.stop_code = d.stopCode ?? null;
          row.stopped_reason = d.stoppedReason ?? null;
        }
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
      case "TaskStateChanged": {
        const d = event.data as TaskStateChanged;
        const row = state.tasks.get(d.taskArn);
        if (!row) return;
        const patches = containerPatches(d);
        row.containers = (row.containers as unknown as ContainerRow[]).map((c) =>
          Object.hasOwn(patches, c.name) ? { ...c, ...patches[c.name] } : c,
        ) as unknown as Record<string, unknown>[];
        row.last_status = d.lastStatus;
        if (d.lastStatus === "STOPPED") row.desired_status = "STOPPED";
        row.health_status = d.healthStatus ?? "UNKNOWN";
        if (d.attachments !== undefined) row.attachments = JSON.stringify(d.attachments);
        row.stop_code = row.stop_code ?? d.stopCode ?? null;
        row.stopped_reason = row.stopped_reason ?? d.stoppedReason ?? null;
        if (d.pullStartedAt !== undefined) row.pull_started_at = atOrNull(d.pullStartedAt);
        if (d.pullStoppedAt !== undefined) row.pull_stopped_at = atOrNull(d.pullStoppedAt);
        if (d.startedAt !== undefined) row.started_at = atOrNull(d.startedAt);
        if (d.stoppingAt !== undefined) row.stopping_at = atOrNull(d.stoppingAt);
        if (d.executionStoppedAt !== undefined) {
          row.execution_stopped_at = atOrNull(d.executionStoppedAt);
        }
        if (d.stoppedAt !== undefined) row.stopped_at = atOrNull(d.stoppedAt);
        row.version = event.streamVersion;
        row.last_position = event.position;
        return;
      }
    }
  },
};
