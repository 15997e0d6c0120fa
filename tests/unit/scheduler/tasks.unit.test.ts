import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  instanceAggregate,
  type InstanceState,
} from "../../../services/scheduler/containerInstances/instanceState.js";
import { fold } from "../../../shared/aggregate/decider.js";
import {
  cannotPlace,
  decideCreateTask,
  decidePlaceTask,
} from "../../../services/scheduler/tasks/placeTask.js";
import {
  decideReportTaskState,
  type TaskStateReport,
} from "../../../services/scheduler/tasks/reportTaskState.js";
import { decideStopTask } from "../../../services/scheduler/tasks/stopTask.js";
import {
  lifecycleIndex,
  TASK_LIFECYCLE,
  taskAggregate,
  type TaskState,
} from "../../../services/scheduler/tasks/taskState.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { type Capacity } from "../../../shared/domain/resources.js";
import {
  buildTaskDefinition,
  type RegisterTaskDefinitionInput,
  type TaskDefinition,
} from "../../../shared/domain/taskDefinition/index.js";
import { taskRequirements } from "../../../shared/domain/taskRequirements.js";
import type {
  ContainerStateReport,
  DomainEvent,
  TaskCreated,
  TaskStatus,
} from "../../../shared/events/index.js";
import { ctx, deciderSpec, expectValidEvents, NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfInstance,
  arnOfRevision,
  arnOfTask,
  capacity,
  connectivityChanged,
  containerInstanceDeregistered,
  containerInstanceRegistered,
  containerStatusFor,
  PRINCIPAL_ARN,
  taskCreated,
  taskCreatedData,
  taskDefinitionInput,
  taskPlaced,
  taskReport,
  taskResourcesReleased,
  taskStateChanged,
  taskStopRequested,
} from "./schedulerFixtures.js";

/** An instance of 1024 CPU units and 2048 MiB, tcp 22 and udp 53 reserved. */
const SMALL = capacity(1024, 2048, [22], [53]);
const smallInstance = (...more: DomainEvent[]): InstanceState =>
  fold(instanceAggregate, [containerInstanceRegistered(SMALL), ...more]);

const place = deciderSpec<{ taskId: string; need: Capacity }, InstanceState>(
  instanceAggregate,
  (command, state) => decidePlaceTask(arnOfTask(command.taskId), command.need, state),
);
const createTask = deciderSpec<TaskCreated, TaskState>(taskAggregate, (created, state) =>
  decideCreateTask(created, state),
);
const stopTask = deciderSpec<{ reason: string }, TaskState>(taskAggregate, (stop, state, c) =>
  decideStopTask({ stopCode: "UserInitiated", reason: stop.reason }, state, c),
);
const report = deciderSpec<TaskStateReport, TaskState>(taskAggregate, (r, state) =>
  decideReportTaskState(r, state),
);

const PORT_MESSAGE = "is already using a port required by your task";

describe("cannotPlace", () => {
  it("fits a task within the instance's cpu, memory and free ports", () => {
    expect(cannotPlace(capacity(512, 1024, [80], [80]), smallInstance())).toBeUndefined();
  });

  it("fits a task that takes exactly what is left", () => {
    const instance = smallInstance(taskPlaced("t1", capacity(512, 1024)));
    expect(cannotPlace(capacity(512, 1024), instance)).toBeUndefined();
  });

  it("refuses one CPU unit too many", () => {
    const instance = smallInstance(taskPlaced("t1", capacity(512, 0)));
    expect(cannotPlace(capacity(513, 1), instance)).toBe("has insufficient CPU units available");
  });

  it("refuses one MiB too many", () => {
    const instance = smallInstance(taskPlaced("t1", capacity(0, 1024)));
    expect(cannotPlace(capacity(1, 1025), instance)).toBe("has insufficient memory available");
  });

  it("refuses a tcp port the instance registered as reserved", () => {
    expect(cannotPlace(capacity(0, 0, [22]), smallInstance())).toBe(PORT_MESSAGE);
  });

  it("refuses a udp port the instance registered as reserved", () => {
    expect(cannotPlace(capacity(0, 0, [], [53]), smallInstance())).toBe(PORT_MESSAGE);
  });

  it("tcp and udp ports of the same number do not conflict", () => {
    expect(cannotPlace(capacity(0, 0, [53], [22]), smallInstance())).toBeUndefined();
  });

  it("refuses a tcp port another live task holds", () => {
    const instance = smallInstance(taskPlaced("t1", capacity(0, 0, [8080, 8081])));
    expect(cannotPlace(capacity(0, 0, [9000, 8081]), instance)).toBe(PORT_MESSAGE);
  });

  it("refuses a udp port another live task holds", () => {
    const instance = smallInstance(taskPlaced("t1", capacity(0, 0, [], [5000])));
    expect(cannotPlace(capacity(0, 0, [5000], [5000]), instance)).toBe(PORT_MESSAGE);
  });

  it("refuses an instance whose agent is disconnected", () => {
    expect(cannotPlace(capacity(1, 1), smallInstance(connectivityChanged(false)))).toBe(
      "has no connected agent",
    );
  });

  it("fits again once the agent reconnects", () => {
    const instance = smallInstance(connectivityChanged(false), connectivityChanged(true));
    expect(cannotPlace(capacity(1, 1), instance)).toBeUndefined();
  });

  it("refuses an INACTIVE instance", () => {
    expect(cannotPlace(capacity(1, 1), smallInstance(containerInstanceDeregistered()))).toBe(
      "is not ACTIVE",
    );
  });

  it("refuses an instance that never registered", () => {
    expect(cannotPlace(capacity(0, 0), instanceAggregate.initialState)).toBe("is not ACTIVE");
  });

  it("checks CPU before memory before ports", () => {
    const instance = smallInstance();
    expect(cannotPlace(capacity(4096, 4096, [22]), instance)).toBe(
      "has insufficient CPU units available",
    );
    expect(cannotPlace(capacity(1, 4096, [22]), instance)).toBe(
      "has insufficient memory available",
    );
  });
});

describe("decidePlaceTask", () => {
  const registered = containerInstanceRegistered(SMALL);

  it("reserves the task's needs on the instance", () => {
    const spec = place
      .given([registered])
      .when({ taskId: "t1", need: capacity(256, 512, [8080], [5000]) });
    spec.then([
      {
        type: "TaskPlaced",
        data: {
          clusterName: "demo",
          containerInstanceArn: arnOfInstance(),
          taskArn: arnOfTask("t1"),
          reserved: { cpu: 256, memory: 512, tcpPorts: [8080], udpPorts: [5000] },
        },
      },
    ]);
    expect(spec.thenState().tasks).toEqual(
      new Map([[arnOfTask("t1"), capacity(256, 512, [8080], [5000])]]),
    );
  });

  it("refuses with InvalidParameterException naming the instance and the reason", () => {
    const error = place
      .given([registered])
      .when({ taskId: "t1", need: capacity(256, 4096) })
      .thenThrows(
        "InvalidParameterException",
        `The container instance ${arnOfInstance()} has insufficient memory available.`,
      );
    expect(error.retryable).toBe(false);
  });

  it.each<[string, DomainEvent[], Capacity, RegExp]>([
    ["cpu", [], capacity(2048, 1), /insufficient CPU units/],
    ["memory", [], capacity(1, 4096), /insufficient memory/],
    ["a reserved tcp port", [], capacity(1, 1, [22]), /already using a port/],
    ["a reserved udp port", [], capacity(1, 1, [], [53]), /already using a port/],
    [
      "another task's tcp port",
      [taskPlaced("t0", capacity(1, 1, [80]))],
      capacity(1, 1, [80]),
      /already using a port/,
    ],
    [
      "another task's udp port",
      [taskPlaced("t0", capacity(1, 1, [], [161]))],
      capacity(1, 1, [], [161]),
      /already using a port/,
    ],
    ["a disconnected agent", [connectivityChanged(false)], capacity(1, 1), /no connected agent/],
    ["an INACTIVE instance", [containerInstanceDeregistered()], capacity(1, 1), /not ACTIVE/],
  ])("refuses on %s", (_what, more, need, message) => {
    place
      .given([registered, ...more])
      .when({ taskId: "t1", need })
      .thenThrows("InvalidParameterException", message);
  });

  it("a placed task holds its resources until released, then frees them all", () => {
    const whole = capacity(1024, 2048, [80], [5000]);
    const placed = place.given([registered]).when({ taskId: "t1", need: whole }).events();
    const busy = [registered, ...placed];
    place
      .given(busy)
      .when({ taskId: "t2", need: capacity(1, 1) })
      .thenThrows("InvalidParameterException", /insufficient CPU units/);
    place
      .given(busy)
      .when({ taskId: "t2", need: capacity(0, 0, [80]) })
      .thenThrows("InvalidParameterException", /already using a port/);
    const freed = place
      .given([...busy, taskResourcesReleased("t1")])
      .when({ taskId: "t2", need: whole });
    expect(freed.state.tasks.size).toBe(0);
    expect(freed.events()).toHaveLength(1);
  });

  it("releasing a task the instance does not hold changes nothing", () => {
    const before = smallInstance(taskPlaced("t1", capacity(1, 1)));
    expect(instanceAggregate.evolve(before, taskResourcesReleased("other"))).toBe(before);
  });

  it("does not share arrays with the caller's need", () => {
    const tcpPorts = [8080];
    const [event] = decidePlaceTask(arnOfTask("t1"), capacity(1, 1, tcpPorts), smallInstance());
    tcpPorts.push(9090);
    expect(event?.type === "TaskPlaced" && event.data.reserved.tcpPorts).toEqual([8080]);
  });
});

describe("decideCreateTask", () => {
  it("given no task, creates it PROVISIONING with RUNNING desired and PENDING containers", () => {
    const created = taskCreatedData("t1", ["web", "sidecar"]);
    const spec = createTask.given([]).when(created);
    spec.then([{ type: "TaskCreated", data: created }]);
    const state = spec.thenState();
    expect(state.lastStatus).toBe("PROVISIONING");
    expect(state.desiredStatus).toBe("RUNNING");
    expect(state.created).toEqual(created);
    expect([...state.containers.values()]).toEqual([
      { name: "web", lastStatus: "PENDING" },
      { name: "sidecar", lastStatus: "PENDING" },
    ]);
  });

  it("given the task already exists, refuses (a retryable ServerException)", () => {
    const error = createTask
      .given([taskCreated("t1")])
      .when(taskCreatedData("t1"))
      .thenThrows("ServerException", `Task ${arnOfTask("t1")} already exists.`);
    expect(error.retryable).toBe(true);
  });
});

describe("StopTask", () => {
  it("given a RUNNING task, requests the stop as UserInitiated with the reason", () => {
    const spec = stopTask
      .given([taskCreated("t1"), taskStateChanged(taskReport("RUNNING"))])
      .when({ reason: "no longer needed" });
    spec.then([
      {
        type: "TaskStopRequested",
        data: {
          clusterName: "demo",
          taskArn: arnOfTask("t1"),
          stopCode: "UserInitiated",
          stoppedReason: "no longer needed",
          at: NOW_EPOCH_SECONDS,
        },
      },
    ]);
    expect(spec.thenState()).toMatchObject({
      desiredStatus: "STOPPED",
      lastStatus: "RUNNING",
      stopCode: "UserInitiated",
      stoppedReason: "no longer needed",
    });
  });

  it("given a task still PROVISIONING, requests the stop too", () => {
    const [event] = stopTask
      .given([taskCreated("t1")])
      .when({ reason: "r" })
      .events();
    expect(event?.type).toBe("TaskStopRequested");
  });

  it("given a task already asked to stop, changes nothing", () => {
    stopTask
      .given([taskCreated("t1"), taskStopRequested("t1")])
      .when({ reason: "again" })
      .thenNothing();
  });

  it("given a STOPPED task, changes nothing", () => {
    stopTask
      .given([taskCreated("t1"), taskStateChanged(taskReport("STOPPED"))])
      .when({ reason: "late" })
      .thenNothing();
  });

  it("given no task, refuses with InvalidParameterException", () => {
    stopTask
      .given([])
      .when({ reason: "r" })
      .thenThrows("InvalidParameterException", "The referenced task was not found.");
  });

  it("the first stop code and reason stay when the task later reports its own", () => {
    const state = fold(taskAggregate, [
      taskCreated("t1"),
      taskStopRequested("t1", "UserInitiated", "by hand"),
      taskStateChanged(
        taskReport("STOPPED", undefined, {
          stopCode: "EssentialContainerExited",
          stoppedReason: "exited",
        }),
      ),
    ]);
    expect(state).toMatchObject({ stopCode: "UserInitiated", stoppedReason: "by hand" });
  });
});

describe("ReportTaskState", () => {
  const created = taskCreated("t1");
  const running = taskReport("RUNNING", [
    { name: "web", lastStatus: "RUNNING", runtimeId: "abc123" },
  ]);

  it("records a forward transition with the task's cluster and ARN", () => {
    report
      .given([created])
      .when(taskReport("PENDING"))
      .then([
        {
          type: "TaskStateChanged",
          data: {
            lastStatus: "PENDING",
            containers: [{ name: "web", lastStatus: "PENDING" }],
            at: NOW_EPOCH_SECONDS - 10,
            clusterName: "demo",
            taskArn: arnOfTask("t1"),
          },
        },
      ]);
  });

  it("records PROVISIONING → PENDING → RUNNING → STOPPED, each once", () => {
    const steps: TaskStateReport[] = [
      taskReport("PENDING"),
      running,
      taskReport("STOPPED", [{ name: "web", lastStatus: "STOPPED", exitCode: 0 }]),
    ];
    let past: DomainEvent[] = [created];
    for (const step of steps) {
      const events = report.given(past).when(step).events();
      expect(events).toHaveLength(1);
      past = [...past, ...events];
      report.given(past).when(step).thenNothing();
    }
    expect(fold(taskAggregate, past)).toMatchObject({
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
    });
  });

  it("may skip states forwards (PROVISIONING → STOPPED)", () => {
    const state = report
      .given([created])
      .when(taskReport("STOPPED", [], { stopCode: "TaskFailedToStart", stoppedReason: "pull" }))
      .thenState();
    expect(state).toMatchObject({
      lastStatus: "STOPPED",
      desiredStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "pull",
    });
  });

  it("a repeat of the last report is not recorded", () => {
    report
      .given([created, taskStateChanged(running)])
      .when({ ...running, at: NOW_EPOCH_SECONDS })
      .thenNothing();
  });

  it("a report of the current status with new container details is recorded", () => {
    const healthy = taskReport("RUNNING", [
      { name: "web", lastStatus: "RUNNING", runtimeId: "abc123", healthStatus: "HEALTHY" },
    ]);
    const state = report
      .given([created, taskStateChanged(running)])
      .when(healthy)
      .thenState();
    expect(state.containers.get("web")?.healthStatus).toBe("HEALTHY");
  });

  it("a report that would move backwards keeps lastStatus but records new container details", () => {
    const late = taskReport("PENDING", [
      { name: "web", lastStatus: "RUNNING", runtimeId: "abc123", healthStatus: "UNKNOWN" },
    ]);
    const spec = report.given([created, taskStateChanged(running)]).when(late);
    const [event] = spec.events();
    expect(event?.type === "TaskStateChanged" && event.data.lastStatus).toBe("RUNNING");
    const state = spec.thenState();
    expect(state.lastStatus).toBe("RUNNING");
    expect(state.containers.get("web")?.healthStatus).toBe("UNKNOWN");
  });

  it("a backwards report with nothing new is not recorded", () => {
    report
      .given([created, taskStateChanged(running)])
      .when({ ...running, lastStatus: "PENDING" })
      .thenNothing();
  });

  it("a late PENDING report does not move a RUNNING container back to PENDING", () => {
    report
      .given([created, taskStateChanged(running)])
      .when(taskReport("PENDING", [{ name: "web", lastStatus: "PENDING" }]))
      .thenNothing();
  });

  it("a report of the current status may restart a container in place (STOPPED → RUNNING)", () => {
    const exited = taskReport("RUNNING", [
      { name: "web", lastStatus: "STOPPED", runtimeId: "abc123", exitCode: 1 },
    ]);
    const state = report
      .given([created, taskStateChanged(running), taskStateChanged(exited)])
      .when(running)
      .thenState();
    expect(state.containers.get("web")?.lastStatus).toBe("RUNNING");
  });

  it.each<TaskStatus>([...TASK_LIFECYCLE])("after STOPPED, a %s report records nothing", (s) => {
    report
      .given([
        created,
        taskStateChanged(taskReport("STOPPED", [{ name: "web", lastStatus: "STOPPED" }])),
      ])
      .when(taskReport(s, [{ name: "web", lastStatus: "RUNNING", exitCode: 137 }]))
      .thenNothing();
  });

  it("container exit codes, reasons and network bindings reach the state", () => {
    const bindings = [
      { bindIP: "0.0.0.0", containerPort: 80, hostPort: 32768, protocol: "tcp" as const },
      { bindIP: "::", containerPort: 53, hostPort: 53, protocol: "udp" as const },
    ];
    const withBindings = taskReport("RUNNING", [
      { name: "web", lastStatus: "RUNNING", runtimeId: "abc123", networkBindings: bindings },
    ]);
    const afterRunning = report.given([created]).when(withBindings).thenState();
    expect(afterRunning.containers.get("web")?.networkBindings).toEqual(bindings);

    const exited: ContainerStateReport = {
      name: "web",
      lastStatus: "STOPPED",
      runtimeId: "abc123",
      exitCode: 137,
      reason: "OutOfMemoryError: Container killed due to memory usage",
      networkBindings: bindings,
    };
    const stopped = report
      .given([created, taskStateChanged(withBindings)])
      .when(taskReport("STOPPED", [exited], { stopCode: "EssentialContainerExited" }))
      .thenState();
    expect(stopped.containers.get("web")).toEqual(exited);
    expect(stopped.stopCode).toBe("EssentialContainerExited");
  });

  it("a report about one container leaves the others as they were", () => {
    const two = taskCreated("t1", ["web", "sidecar"]);
    const state = report
      .given([two])
      .when(taskReport("PENDING", [{ name: "sidecar", lastStatus: "RUNNING" }]))
      .thenState();
    expect(state.containers.get("web")).toEqual({ name: "web", lastStatus: "PENDING" });
    expect(state.containers.get("sidecar")).toEqual({ name: "sidecar", lastStatus: "RUNNING" });
  });

  it("given no task, refuses with InvalidParameterException", () => {
    report
      .given([])
      .when(running)
      .thenThrows("InvalidParameterException", "The referenced task was not found.");
  });

  /*
   * Hazard (fixed): services/scheduler/tasks/reportTaskState.ts:7-10 (`sameContainers`) compares containers
   * with JSON.stringify, which depends on key order. Events are stored in a jsonb column
   * (migrations/0001_event_store.sql:17) and jsonb does not keep key order (it sorts keys by
   * length, then bytes), so once the stream is read back, a container the agent reports as
   * `{ name, lastStatus, runtimeId }` is folded as `{ name, runtimeId, lastStatus }`. An identical
   * repeat report is then taken for a change and recorded again, on every report.
   * Expected: nothing recorded; actual: one TaskStateChanged.
   */
  it("a repeat is not recorded after the stored event came back with keys reordered", () => {
    const agentReport = taskReport("RUNNING", [
      { name: "web", lastStatus: "RUNNING", runtimeId: "abc123", exitCode: 0 },
    ]);
    const asJsonb = (c: ContainerStateReport): ContainerStateReport =>
      Object.fromEntries(
        Object.entries(c).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1)),
      ) as ContainerStateReport;
    const stored = taskStateChanged({
      ...agentReport,
      containers: agentReport.containers.map(asJsonb),
    });
    report.given([created, stored]).when(agentReport).thenNothing();
  });
});

// ---- taskRequirements -----------------------------------------------------------------------

const taskDefinition = (input: Partial<RegisterTaskDefinitionInput>): TaskDefinition =>
  buildTaskDefinition(taskDefinitionInput(input), {
    arn: arnOfRevision("web", 1),
    revision: 1,
    registeredAt: NOW_EPOCH_SECONDS,
    registeredBy: PRINCIPAL_ARN,
  });

describe("taskRequirements", () => {
  const twoContainers = taskDefinition({
    containerDefinitions: [
      { name: "web", image: "nginx", cpu: 256, memory: 512 },
      { name: "log", image: "fluentbit", cpu: 128, memoryReservation: 64 },
    ],
  });

  it("sums the containers when the task has no task-level size", () => {
    expect(taskRequirements(twoContainers)).toEqual(capacity(384, 576));
  });

  it("takes the task-level cpu and memory over the containers' (normalised from vCPU / GB)", () => {
    const td = taskDefinition({
      cpu: "1 vCPU",
      memory: "2 GB",
      containerDefinitions: [{ name: "web", image: "nginx", cpu: 256, memory: 512 }],
    });
    expect(taskRequirements(td)).toEqual(capacity(1024, 2048));
  });

  it("sums container cpu when only the task-level memory is set", () => {
    const td = taskDefinition({
      memory: "1024",
      containerDefinitions: [
        { name: "a", image: "x", cpu: 100, memory: 128 },
        { name: "b", image: "x", cpu: 50, memory: 128 },
      ],
    });
    expect(taskRequirements(td)).toEqual(capacity(150, 1024));
  });

  it("a container without cpu counts as 0 units", () => {
    const td = taskDefinition({ containerDefinitions: [{ name: "a", image: "x", memory: 64 }] });
    expect(taskRequirements(td).cpu).toBe(0);
  });

  it("falls back to memoryReservation when a container has no hard limit", () => {
    const td = taskDefinition({
      containerDefinitions: [{ name: "a", image: "x", memoryReservation: 300 }],
    });
    expect(taskRequirements(td).memory).toBe(300);
  });

  /*
   * Bug (ECS semantics): shared/domain/taskRequirements.ts:41 reserves `memory ?? memoryReservation`,
   * i.e. the hard limit when both are set. ECS's ContainerDefinition.memoryReservation: "If you
   * specify memoryReservation, then that value is subtracted from the available memory resources
   * for the container instance ... Otherwise, the value of memory is used." For
   * { memory: 1024, memoryReservation: 256 } ECS reserves 256 MiB; Flotilla reserves 1024, so it
   * refuses placements ECS would make (RESOURCE:MEMORY). The same holds for a memoryReservation
   * override on a container with a hard limit.
   */
  it("reserves memoryReservation, not the hard limit, when a container sets both", () => {
    const td = taskDefinition({
      containerDefinitions: [{ name: "a", image: "x", memory: 1024, memoryReservation: 256 }],
    });
    expect(taskRequirements(td).memory).toBe(256);
  });

  it("applies task-level overrides over the task definition's size", () => {
    expect(taskRequirements(twoContainers, { cpu: "2048", memory: "4096" })).toEqual(
      capacity(2048, 4096),
    );
  });

  it("applies container overrides by name and ignores other names", () => {
    const need = taskRequirements(twoContainers, {
      containerOverrides: [
        { name: "web", cpu: 512, memory: 1024 },
        { name: "log", memoryReservation: 128 },
        { name: "missing", cpu: 9999, memory: 9999 },
      ],
    });
    expect(need).toEqual(capacity(640, 1152));
  });

  it("an override without a name changes nothing", () => {
    expect(taskRequirements(twoContainers, { containerOverrides: [{ cpu: 4096 }] })).toEqual(
      taskRequirements(twoContainers),
    );
  });

  /*
   * Hazard (fixed): shared/domain/taskRequirements.ts:37-40 turns the override with `Number(...)`, while the
   * task definition's size is normalised by parseTaskCpu / parseTaskMemory. An override such as
   * cpu "1 vCPU" or memory "2 GB" (the formats the task definition accepts) or any garbage
   * ("lots") becomes NaN; nothing upstream validates TaskOverride.cpu/memory (launchTasks.ts
   * passes them through), and misfit (taskRequirements.ts:58-59) treats NaN as fitting, so such a
   * task is placed on any instance with a TaskPlaced whose reserved.cpu is NaN (which fails the
   * event's own schema, z.number().int()). Expected: an integer (1024 / 2048) or an EcsError.
   */
  it.each([
    ["1 vCPU", undefined],
    [undefined, "2 GB"],
    ["lots", undefined],
  ])("a task-size override cpu=%s memory=%s yields integers or an EcsError", (cpu, memory) => {
    let need: Capacity;
    try {
      need = taskRequirements(twoContainers, { cpu, memory });
    } catch (error) {
      expect(error).toBeInstanceOf(EcsError);
      return;
    }
    expect(Number.isInteger(need.cpu) && Number.isInteger(need.memory)).toBe(true);
  });

  describe("host ports", () => {
    const withPorts = (
      networkMode: RegisterTaskDefinitionInput["networkMode"],
      portMappings: NonNullable<
        RegisterTaskDefinitionInput["containerDefinitions"][number]["portMappings"]
      >,
    ) =>
      taskDefinition({
        ...(networkMode === undefined ? {} : { networkMode }),
        containerDefinitions: [{ name: "web", image: "nginx", memory: 128, portMappings }],
      });

    it("bridge: static host ports are reserved, tcp and udp apart", () => {
      const need = taskRequirements(
        withPorts("bridge", [
          { containerPort: 80, hostPort: 8080 },
          { containerPort: 53, hostPort: 5353, protocol: "udp" },
          { containerPort: 443, hostPort: 8443, protocol: "tcp" },
        ]),
      );
      expect(need.tcpPorts).toEqual([8080, 8443]);
      expect(need.udpPorts).toEqual([5353]);
    });

    it("bridge (the default): dynamic host ports (0 or absent) reserve nothing", () => {
      const need = taskRequirements(
        withPorts(undefined, [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }]),
      );
      expect(need).toMatchObject({ tcpPorts: [], udpPorts: [] });
    });

    it("host: the container port is the host port", () => {
      const need = taskRequirements(
        withPorts("host", [{ containerPort: 80 }, { containerPort: 53, protocol: "udp" }]),
      );
      expect(need).toMatchObject({ tcpPorts: [80], udpPorts: [53] });
    });

    it("awsvpc: each task has its own network, so no host port is reserved", () => {
      const need = taskRequirements(
        withPorts("awsvpc", [{ containerPort: 80 }, { containerPort: 53, protocol: "udp" }]),
      );
      expect(need).toMatchObject({ tcpPorts: [], udpPorts: [] });
    });

    it("the ports of every container are collected", () => {
      const td = taskDefinition({
        containerDefinitions: [
          {
            name: "a",
            image: "x",
            memory: 64,
            portMappings: [{ containerPort: 1, hostPort: 1001 }],
          },
          {
            name: "b",
            image: "x",
            memory: 64,
            portMappings: [{ containerPort: 2, hostPort: 1002 }],
          },
        ],
      });
      expect(taskRequirements(td).tcpPorts).toEqual([1001, 1002]);
    });

    it("a host-mode task cannot be placed twice on one instance", () => {
      const need = taskRequirements(withPorts("host", [{ containerPort: 80 }]));
      const instance = smallInstance(taskPlaced("t1", need));
      expect(cannotPlace(need, instance)).toBe(PORT_MESSAGE);
    });
  });
});

// ---- properties -----------------------------------------------------------------------------

describe("properties", () => {
  type Op =
    | { kind: "place"; cpu: number; memory: number; tcp: number[]; udp: number[] }
    | { kind: "release"; pick: number };

  const PORT = fc.integer({ min: 20, max: 30 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant("place" as const),
      cpu: fc.integer({ min: 0, max: 600 }),
      memory: fc.integer({ min: 0, max: 1200 }),
      tcp: fc.uniqueArray(PORT, { maxLength: 3 }),
      udp: fc.uniqueArray(PORT, { maxLength: 2 }),
    }),
    fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
  );

  it("(a) place / release never overcommits cpu or memory, nor shares a host port", () => {
    const registered = capacity(1024, 2048, [22], [25]);
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let state = fold(instanceAggregate, [containerInstanceRegistered(registered)]);
        let next = 0;
        for (const o of ops) {
          if (o.kind === "release") {
            const live = [...state.tasks.keys()];
            if (live.length === 0) continue;
            const taskArn = live[o.pick % live.length]!;
            state = instanceAggregate.evolve(state, {
              type: "TaskResourcesReleased",
              data: { clusterName: "demo", containerInstanceArn: arnOfInstance(), taskArn },
            });
            continue;
          }
          const need = capacity(o.cpu, o.memory, o.tcp, o.udp);
          const reservations = [...state.tasks.values()];
          const used = (pick: (c: Capacity) => readonly number[]) =>
            new Set([...pick(registered), ...reservations.flatMap((r) => [...pick(r)])]);
          const fits =
            reservations.reduce((s, r) => s + r.cpu, o.cpu) <= registered.cpu &&
            reservations.reduce((s, r) => s + r.memory, o.memory) <= registered.memory &&
            !o.tcp.some((p) => used((c) => c.tcpPorts).has(p)) &&
            !o.udp.some((p) => used((c) => c.udpPorts).has(p));
          let events: DomainEvent[];
          try {
            events = decidePlaceTask(arnOfTask(`t${next++}`), need, state);
          } catch (error) {
            expect(error).toBeInstanceOf(EcsError);
            expect(fits, "refused only when it does not fit").toBe(false);
            continue;
          }
          expect(fits, "placed only when it fits").toBe(true);
          expectValidEvents(events);
          state = events.reduce(instanceAggregate.evolve, state);

          const live = [...state.tasks.values()];
          expect(live.reduce((s, r) => s + r.cpu, 0)).toBeLessThanOrEqual(registered.cpu);
          expect(live.reduce((s, r) => s + r.memory, 0)).toBeLessThanOrEqual(registered.memory);
          for (const ports of [(c: Capacity) => c.tcpPorts, (c: Capacity) => c.udpPorts]) {
            const all = [...ports(registered), ...live.flatMap((r) => [...ports(r)])];
            expect(new Set(all).size, "no host port held twice").toBe(all.length);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  const status = fc.constantFrom(...TASK_LIFECYCLE);
  const reportArb: fc.Arbitrary<TaskStateReport> = fc.record({
    lastStatus: status,
    containers: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom("web", "sidecar"),
        lastStatus: fc.constantFrom("PENDING" as const, "RUNNING" as const, "STOPPED" as const),
        exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      }),
      { maxLength: 2, selector: (c) => c.name },
    ),
    at: fc.integer({ min: NOW_EPOCH_SECONDS - 1000, max: NOW_EPOCH_SECONDS }),
  });

  it("(b) over any sequence of reports lastStatus never moves backwards and STOPPED is terminal", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(reportArb, fc.constant("stop" as const)), { maxLength: 30 }),
        (steps) => {
          let state = fold(taskAggregate, [taskCreated("t1", ["web", "sidecar"])]);
          for (const step of steps) {
            const before = state;
            const events =
              step === "stop"
                ? decideStopTask({ stopCode: "UserInitiated", reason: "r" }, state, ctx)
                : decideReportTaskState(step, state);
            expectValidEvents(events);
            if (before.lastStatus === "STOPPED") expect(events).toEqual([]);
            state = events.reduce(taskAggregate.evolve, state);
            expect(lifecycleIndex(state.lastStatus)).toBeGreaterThanOrEqual(
              lifecycleIndex(before.lastStatus),
            );
            if (
              step !== "stop" &&
              lifecycleIndex(step.lastStatus) >= lifecycleIndex(before.lastStatus) &&
              before.lastStatus !== "STOPPED"
            ) {
              expect(state.lastStatus, "a forward report is taken").toBe(step.lastStatus);
            }
            if (state.lastStatus === "STOPPED") expect(state.desiredStatus).toBe("STOPPED");
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("(b') reports are idempotent: the same report twice in a row records at most once", () => {
    fc.assert(
      fc.property(fc.array(reportArb, { maxLength: 10 }), reportArb, (prefix, last) => {
        const past = prefix.reduce<DomainEvent[]>(
          (events, r) => [...events, ...decideReportTaskState(r, fold(taskAggregate, events))],
          [taskCreated("t1", ["web", "sidecar"])],
        );
        const once = decideReportTaskState(last, fold(taskAggregate, past));
        expect(decideReportTaskState(last, fold(taskAggregate, [...past, ...once]))).toEqual([]);
      }),
    );
  });
});

// Keep the status helper honest: the fixtures' container status follows the task's.
describe("fixtures", () => {
  it("containerStatusFor maps the lifecycle onto PENDING / RUNNING / STOPPED", () => {
    expect(TASK_LIFECYCLE.map(containerStatusFor)).toEqual([
      "PENDING",
      "PENDING",
      "PENDING",
      "RUNNING",
      "RUNNING",
      "RUNNING",
      "RUNNING",
      "STOPPED",
    ]);
  });
});
