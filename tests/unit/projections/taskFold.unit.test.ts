import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";
import { containerInstanceFold } from "../../../shared/projections/fold/containerInstanceFold.js";
import { emptyFoldState, type FoldState } from "../../../shared/projections/fold/foldState.js";
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

const registered = (i: number) =>
  recorded("ContainerInstanceRegistered", {
    clusterName: "c",
    containerInstanceArn: instanceArn(i),
    ec2InstanceId: `i-${i}`,
    registeredResources: [],
    attributes: [],
    versionInfo: {},
    tags: [],
    registeredAt: 1_790_000_000,
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

const changed = (t: number, lastStatus: string) =>
  recorded("TaskStateChanged", {
    clusterName: "c",
    taskArn: taskArn(t),
    lastStatus,
    containers: [{ name: "web", lastStatus }],
    at: 1_790_000_100 + t,
  });

const STATUSES = ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPED"];

/** What recountInstance's two count(*) queries give for an instance. */
const recount = (state: FoldState, instance: string) => {
  const tasks = [...state.tasks.values()].filter((t) => t.container_instance_arn === instance);
  return {
    running: tasks.filter((t) => t.last_status === "RUNNING").length,
    pending: tasks.filter((t) => ["PROVISIONING", "PENDING", "ACTIVATING"].includes(t.last_status))
      .length,
  };
};

describe("taskFold", () => {
  it("keeps every instance's counters equal to a recount of its tasks, whatever the order", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("create" as const), task: fc.nat(12), instance: fc.nat(2) }),
      fc.record({
        kind: fc.constant("change" as const),
        task: fc.nat(12),
        status: fc.constantFrom(...STATUSES),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const state = emptyFoldState();
        for (const i of [0, 1, 2]) containerInstanceFold.fold(state, registered(i));
        for (const s of steps) {
          if (s.kind === "create") {
            // A second TaskCreated for a task is refused, as the live INSERT refuses it.
            if (state.tasks.has(taskArn(s.task))) {
              expect(() => taskFold.fold(state, created(s.task, s.instance))).toThrow(/duplicate/);
            } else {
              taskFold.fold(state, created(s.task, s.instance));
            }
          } else {
            taskFold.fold(state, changed(s.task, s.status));
          }
        }
        for (const i of [0, 1, 2]) {
          const row = state.container_instances.get(instanceArn(i))!;
          const touched = [...state.tasks.values()].some(
            (t) => t.container_instance_arn === instanceArn(i),
          );
          // An instance whose tasks never changed was never recounted: it keeps its zeros.
          expect({ running: row.running_tasks_count, pending: row.pending_tasks_count }).toEqual(
            touched ? recount(state, instanceArn(i)) : { running: 0, pending: 0 },
          );
        }
      }),
    );
  });

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
