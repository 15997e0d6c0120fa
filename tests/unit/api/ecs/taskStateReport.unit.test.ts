import { describe, expect, it } from "vitest";
import {
  type TaskChange,
  type TaskSnapshot,
  containerStatusFrom,
  networkBindingsFrom,
  taskStateReport,
  taskStatusFrom,
} from "../../../../services/api/ecs/taskStateReport.js";
import { EcsError } from "../../../../shared/domain/errors.js";

const TASK_ARN = "arn:aws:ecs:eu-west-1:123456789012:task/demo/0123456789abcdef0123456789abcdef";
const NOW = 1_700_000_100;

const task = (over: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
  taskArn: TASK_ARN,
  lastStatus: "PROVISIONING",
  healthStatus: "UNKNOWN",
  stopCode: null,
  startedAt: null,
  stoppingAt: null,
  stoppedAt: null,
  executionStoppedAt: null,
  containers: [
    { name: "web", lastStatus: "PENDING" },
    { name: "sidecar", lastStatus: "PENDING" },
  ],
  ...over,
});

const change = (over: Partial<TaskChange> = {}): TaskChange => ({
  containers: [],
  containerFieldPrefix: (i) => `containers[${i}].`,
  ...over,
});

const refusal = (fn: () => unknown): EcsError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EcsError) return error;
    throw error;
  }
  throw new Error("not refused");
};

describe("ECS status strings onto our lifecycle", () => {
  it.each([
    ["RUNNING", "RUNNING"],
    ["running", "RUNNING"],
    ["PENDING", "PENDING"],
    ["STOPPING", "STOPPING"],
    ["DEPROVISIONING", "DEPROVISIONING"],
    ["STOPPED", "STOPPED"],
    ["NONE", "PENDING"],
    ["MANIFEST_PULLED", "PENDING"],
    ["CREATED", "PENDING"],
  ])("task %s is %s", (wire, ours) => {
    expect(taskStatusFrom(wire)).toBe(ours);
  });

  it.each([
    ["PENDING", "PENDING"],
    ["RUNNING", "RUNNING"],
    ["STOPPED", "STOPPED"],
    ["PULLED", "PENDING"],
    ["RESOURCES_PROVISIONED", "PENDING"],
  ])("container %s is %s", (wire, ours) => {
    expect(containerStatusFrom(wire)).toBe(ours);
  });

  it("refuses an unknown status naming its field", () => {
    const task = refusal(() => taskStatusFrom("EXPLODED", "status"));
    expect(task.type).toBe("InvalidParameterException");
    expect(task.message).toMatch(/^status: 'EXPLODED' is not a task status/);
    const container = refusal(() => containerStatusFrom("STOPPING", "containers[1].status"));
    expect(container.message).toMatch(/^containers\[1\]\.status: 'STOPPING'/);
  });
});

describe("network bindings", () => {
  it("fills ECS's optional fields and drops range-only bindings", () => {
    expect(
      networkBindingsFrom([
        { containerPort: 80, hostPort: 32768 },
        { containerPort: 53, protocol: "udp", bindIP: "::" },
        { containerPortRange: "8000-8010", hostPortRange: "9000-9010" },
      ]),
    ).toEqual([
      { bindIP: "0.0.0.0", containerPort: 80, hostPort: 32768, protocol: "tcp" },
      { bindIP: "::", containerPort: 53, hostPort: 53, protocol: "udp" },
    ]);
  });
});

describe("taskStateReport", () => {
  it("given a provisioning task, when RUNNING is reported, then startedAt is now", () => {
    const report = taskStateReport(
      task(),
      change({
        status: "RUNNING",
        containers: [{ containerName: "web", status: "RUNNING", runtimeId: "abc" }],
        pullStartedAt: NOW - 10,
        pullStoppedAt: NOW - 5,
      }),
      NOW,
    );
    expect(report).toEqual({
      taskArn: TASK_ARN,
      lastStatus: "RUNNING",
      healthStatus: "UNKNOWN",
      containers: [{ name: "web", lastStatus: "RUNNING", runtimeId: "abc" }],
      pullStartedAt: NOW - 10,
      pullStoppedAt: NOW - 5,
      startedAt: NOW,
      at: NOW,
    });
  });

  it("given a task that started, when RUNNING is reported again, then startedAt is kept", () => {
    const startedAt = new Date((NOW - 60) * 1000);
    const report = taskStateReport(
      task({ lastStatus: "RUNNING", startedAt }),
      change({ status: "RUNNING" }),
      NOW,
    );
    expect(report.startedAt).toBe(NOW - 60);
  });

  it("given a running task, when STOPPED is reported unasked, then the essential container exited", () => {
    const report = taskStateReport(
      task({ lastStatus: "RUNNING", startedAt: new Date((NOW - 60) * 1000) }),
      change({
        status: "STOPPED",
        reason: "Essential container in task exited",
        containers: [{ containerName: "web", status: "STOPPED", exitCode: 1 }],
        executionStoppedAt: NOW - 1,
      }),
      NOW,
    );
    expect(report).toMatchObject({
      lastStatus: "STOPPED",
      containers: [{ name: "web", lastStatus: "STOPPED", exitCode: 1 }],
      startedAt: NOW - 60,
      stoppingAt: NOW,
      executionStoppedAt: NOW - 1,
      stoppedAt: NOW,
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
  });

  it("given a task that never ran, when STOPPED is reported, then it failed to start", () => {
    const report = taskStateReport(task(), change({ status: "STOPPED" }), NOW);
    expect(report.stopCode).toBe("TaskFailedToStart");
    expect(report.startedAt).toBeUndefined();
    expect(report.executionStoppedAt).toBe(NOW);
  });

  it("given a stop was requested, when STOPPED is reported, then the stop code is not replaced", () => {
    const report = taskStateReport(
      task({ lastStatus: "RUNNING", stopCode: "UserInitiated" }),
      change({ status: "STOPPED" }),
      NOW,
    );
    expect(report.stopCode).toBeUndefined();
  });

  it("a reason given while running is not a stop reason", () => {
    const report = taskStateReport(task(), change({ status: "RUNNING", reason: "hello" }), NOW);
    expect(report.stoppedReason).toBeUndefined();
  });

  it("with no status, the task keeps its own and a container without status keeps its own", () => {
    const report = taskStateReport(
      task({ lastStatus: "PENDING", healthStatus: "HEALTHY" }),
      change({ containers: [{ containerName: "sidecar", runtimeId: "r1" }] }),
      NOW,
    );
    expect(report).toEqual({
      taskArn: TASK_ARN,
      lastStatus: "PENDING",
      healthStatus: "HEALTHY",
      containers: [{ name: "sidecar", lastStatus: "PENDING", runtimeId: "r1" }],
      at: NOW,
    });
  });

  it("refuses a container the task does not have, and one without a name, naming the field", () => {
    const unknown = refusal(() =>
      taskStateReport(
        task(),
        change({ containers: [{ containerName: "web" }, { containerName: "db" }] }),
        NOW,
      ),
    );
    expect(unknown.type).toBe("InvalidParameterException");
    expect(unknown.message).toBe(
      "containers[1].containerName: the task has no container named 'db'.",
    );
    const unnamed = refusal(() =>
      taskStateReport(
        task(),
        change({ containers: [{ status: "RUNNING" }], containerFieldPrefix: () => "" }),
        NOW,
      ),
    );
    expect(unnamed.message).toBe("containerName: a container name is required.");
  });
});
