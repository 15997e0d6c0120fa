import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyFoldState } from "../../../shared/projections/fold/foldState.js";
import { taskFold } from "../../../shared/projections/fold/taskFold.js";
import type { TaskStateChanged } from "../../../shared/events/index.js";
import { containerPatches, type ContainerRow } from "../../../shared/projections/taskProjection.js";
import { recordedEventSequence } from "../../fixtures/recordedEvents.js";

const ARN = "arn:aws:ecs:eu-west-1:123456789012";
const instanceArn = (i: number) => `${ARN}:container-instance/c/${i}`;
const taskArn = (t: number) => `${ARN}:task/c/${t}`;

const recorded = recordedEventSequence();

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

  it("changes each container as the first report of its name says, and no other", () => {
    /** The merge written out plainly: each container with the first report of its name. */
    const reference = (containers: ContainerRow[], d: TaskStateChanged) =>
      containers.map((c) => {
        const r = d.containers.find((x) => x.name === c.name);
        if (!r) return c;
        return {
          ...c,
          lastStatus: r.lastStatus,
          ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }),
          ...(r.reason === undefined ? {} : { reason: r.reason }),
          ...(r.runtimeId === undefined ? {} : { runtimeId: r.runtimeId }),
          networkBindings: r.networkBindings ?? c.networkBindings,
          healthStatus: r.healthStatus ?? c.healthStatus,
        };
      });
    const name = fc.constantFrom("app", "log", "__proto__", "constructor");
    const container = fc.record({
      containerArn: fc.constant("x"),
      name,
      image: fc.constant("busybox"),
      essential: fc.boolean(),
      cpu: fc.constant("0"),
      lastStatus: fc.constantFrom("PENDING", "RUNNING"),
      networkBindings: fc.constant([] as unknown[]),
      healthStatus: fc.constant("UNKNOWN"),
    });
    const reported = fc.record(
      {
        name,
        lastStatus: fc.constantFrom("RUNNING", "STOPPED"),
        exitCode: fc.integer({ min: 0, max: 255 }),
        reason: fc.string(),
        runtimeId: fc.string(),
        networkBindings: fc.constant([{ containerPort: 80, hostPort: 1 }]),
        healthStatus: fc.constantFrom("HEALTHY", "UNHEALTHY"),
      },
      { requiredKeys: ["name", "lastStatus"] },
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1 }),
        fc.array(reported, { maxLength: 5 }),
        (containers, reports) => {
          const d = { containers: reports } as unknown as TaskStateChanged;
          const patches = containerPatches(d);
          const merged = containers.map((c) =>
            Object.hasOwn(patches, c.name) ? { ...c, ...patches[c.name] } : c,
          );
          expect(merged).toEqual(reference(containers, d));
        },
      ),
    );
  });
});
