import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";
import { emptyFoldState } from "../../../shared/projections/fold/foldState.js";
import { taskFold } from "../../../shared/projections/fold/taskFold.js";

const ARN = "arn:aws:ecs:eu-west-1:123456789012";
const instanceArn = (i: number) => `${ARN}:container-instance/c/${i}`;
const taskArn = (t: number) => `${ARN}:task/c/${t}`;

let position = 0;
const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  position: ++position,
  eventId: `e${position}`,
  streamId: "s",
  streamVersion: position,
  type,
  schemaVersion: 1,
  data,
  metadata: { actor: "test", correlationId: "c" },
  recordedAt: new Date(0),
  transactionId: "1",
});

const created = (t: number, instance: number) =>
  recorded("TaskCreated", {
    clusterName: "c",
    taskArn: taskArn(t),
    taskDefinitionArn: `${ARN}:task-definition/web:1`,
    containerInstanceArn: instanceArn(instance),
    launchType: "EC2",
    group: "family:web",
    overrides: {},
    tags: [],
    cpu: "256",
    memory: "512",
    containers: [{ containerArn: "x", name: "web", image: "busybox", essential: true, cpu: "0" }],
    createdAt: 1_790_000_000 + t,
  });

describe("taskFold", () => {
  it("keeps the first stop code and its reason", () => {
    const state = emptyFoldState();
    taskFold.fold(state, created(1, 0));
    const stop = (code: string, reason: string) =>
      recorded("TaskStopRequested", {
        clusterName: "c",
        taskArn: taskArn(1),
        stopCode: code,
        stoppedReason: reason,
        at: 1,
      });
    taskFold.fold(state, stop("UserInitiated", "first"));
    taskFold.fold(state, stop("ServiceSchedulerInitiated", "second"));
    const row = state.tasks.get(taskArn(1))!;
    expect([row.desired_status, row.stop_code, row.stopped_reason]).toEqual([
      "STOPPED",
      "UserInitiated",
      "first",
    ]);
  });
});
