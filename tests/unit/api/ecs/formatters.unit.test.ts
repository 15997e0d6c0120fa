import { describe, expect, it } from "vitest";
import {
  type ContainerInstanceRow,
  formatContainerInstance,
} from "../../../../services/api/ecs/read/containerInstanceQueries.js";
import { type TaskRow, formatTask } from "../../../../services/api/ecs/read/taskQueries.js";

const ARN = { region: "eu-west-1", accountId: "123456789012" };
const INSTANCE = "arn:aws:ecs:eu-west-1:123456789012:container-instance/demo/abc";
const TASK = "arn:aws:ecs:eu-west-1:123456789012:task/demo/def";

const instanceRow = (over: Partial<ContainerInstanceRow> = {}): ContainerInstanceRow => ({
  container_instance_arn: INSTANCE,
  cluster_name: "demo",
  ec2_instance_id: "i-0123456789abcdef0",
  availability_zone: "eu-west-1a",
  status: "ACTIVE",
  agent_connected: true,
  registered_resources: [
    { name: "CPU", type: "INTEGER", integerValue: 2048 },
    { name: "MEMORY", type: "INTEGER", integerValue: 4096 },
    { name: "PORTS", type: "STRINGSET", stringSetValue: ["22", "51678"] },
    { name: "PORTS_UDP", type: "STRINGSET", stringSetValue: [] },
  ],
  attributes: [{ name: "ecs.availability-zone", value: "eu-west-1a" }],
  version_info: { agentVersion: "1.0.0" },
  registered_at: new Date("2024-01-02T03:04:05.250Z"),
  updated_at: new Date("2024-01-02T03:04:05.250Z"),
  version: 3,
  last_position: 42,
  ...over,
});

const NONE = { running: 0, pending: 0 };

describe("formatContainerInstance", () => {
  it("is ECS's ContainerInstance: remaining is registered minus reservations, ports united", () => {
    const shape = formatContainerInstance(
      instanceRow(),
      [
        { cpu: 256, memory: 512, tcpPorts: [8080], udpPorts: [] },
        { cpu: 512, memory: 1024, tcpPorts: [], udpPorts: [53] },
      ],
      { running: 1, pending: 2 },
    );
    expect(shape).toEqual({
      containerInstanceArn: INSTANCE,
      ec2InstanceId: "i-0123456789abcdef0",
      version: 3,
      versionInfo: { agentVersion: "1.0.0" },
      remainingResources: [
        { name: "CPU", type: "INTEGER", integerValue: 1280, doubleValue: 0, longValue: 0 },
        { name: "MEMORY", type: "INTEGER", integerValue: 2560, doubleValue: 0, longValue: 0 },
        {
          name: "PORTS",
          type: "STRINGSET",
          integerValue: 0,
          doubleValue: 0,
          longValue: 0,
          stringSetValue: ["22", "8080", "51678"],
        },
        {
          name: "PORTS_UDP",
          type: "STRINGSET",
          integerValue: 0,
          doubleValue: 0,
          longValue: 0,
          stringSetValue: ["53"],
        },
      ],
      registeredResources: instanceRow().registered_resources,
      status: "ACTIVE",
      agentConnected: true,
      runningTasksCount: 1,
      pendingTasksCount: 2,
      attributes: [{ name: "ecs.availability-zone", value: "eu-west-1a" }],
      registeredAt: 1704164645.25,
    });
    expect(shape).not.toHaveProperty("capacityProviderName");
  });

  it("carries tags only when given", () => {
    expect(
      formatContainerInstance(instanceRow(), [], NONE, [{ key: "k", value: "v" }]).tags,
    ).toEqual([{ key: "k", value: "v" }]);
    expect(formatContainerInstance(instanceRow(), [], NONE)).not.toHaveProperty("tags");
  });
});

const taskRow = (over: Partial<TaskRow> = {}): TaskRow => ({
  task_arn: TASK,
  cluster_name: "demo",
  task_definition_arn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
  family: "web",
  container_instance_arn: INSTANCE,
  availability_zone: "eu-west-1a",
  launch_type: "EC2",
  capacity_provider_name: null,
  task_group: "family:web",
  started_by: null,
  overrides: { containerOverrides: [] },
  cpu: "256",
  memory: "512",
  containers: [
    {
      containerArn: "arn:aws:ecs:eu-west-1:123456789012:container/demo/def/c1",
      name: "web",
      image: "nginx:1.27",
      essential: true,
      cpu: "256",
      memory: "512",
      lastStatus: "PENDING",
      networkBindings: [],
      healthStatus: "UNKNOWN",
    },
  ],
  attachments: [],
  last_status: "PROVISIONING",
  desired_status: "RUNNING",
  health_status: "UNKNOWN",
  stop_code: null,
  stopped_reason: null,
  created_at: new Date("2024-01-02T03:04:05.000Z"),
  pull_started_at: null,
  pull_stopped_at: null,
  started_at: null,
  stopping_at: null,
  execution_stopped_at: null,
  stopped_at: null,
  version: 1,
  last_position: 7,
  ...over,
});

describe("formatTask", () => {
  it("is ECS's Task for a task just placed: not yet connected, no times but createdAt", () => {
    expect(formatTask(ARN, taskRow())).toEqual({
      attachments: [],
      attributes: [],
      availabilityZone: "eu-west-1a",
      clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/demo",
      containerInstanceArn: INSTANCE,
      containers: [
        {
          containerArn: "arn:aws:ecs:eu-west-1:123456789012:container/demo/def/c1",
          taskArn: TASK,
          name: "web",
          image: "nginx:1.27",
          lastStatus: "PENDING",
          networkBindings: [],
          networkInterfaces: [],
          healthStatus: "UNKNOWN",
          cpu: "256",
          memory: "512",
        },
      ],
      cpu: "256",
      createdAt: 1704164645,
      desiredStatus: "RUNNING",
      enableExecuteCommand: false,
      group: "family:web",
      healthStatus: "UNKNOWN",
      lastStatus: "PROVISIONING",
      launchType: "EC2",
      memory: "512",
      overrides: { containerOverrides: [] },
      taskArn: TASK,
      taskDefinitionArn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:3",
      version: 1,
    });
  });

  it("is ECS's FARGATE task: its provider and platform, no container instance", () => {
    const shape = formatTask(
      ARN,
      taskRow({ launch_type: "FARGATE", capacity_provider_name: "FARGATE_SPOT" }),
    );
    expect(shape).toMatchObject({
      launchType: "FARGATE",
      capacityProviderName: "FARGATE_SPOT",
      platformVersion: "1.4.0",
      platformFamily: "Linux",
      ephemeralStorage: { sizeInGiB: 20 },
    });
    expect(shape).not.toHaveProperty("containerInstanceArn");
    const ec2 = formatTask(ARN, taskRow({ capacity_provider_name: "web-asg" }));
    expect(ec2).toMatchObject({ launchType: "EC2", capacityProviderName: "web-asg" });
    expect(ec2).toHaveProperty("containerInstanceArn", INSTANCE);
    expect(ec2).not.toHaveProperty("platformVersion");
  });

  it("is CONNECTED once it ran, and shows every time and the stop", () => {
    const at = (s: number) => new Date(s * 1000);
    const shape = formatTask(
      ARN,
      taskRow({
        last_status: "STOPPED",
        desired_status: "STOPPED",
        started_by: "ci",
        stop_code: "UserInitiated",
        stopped_reason: "Task stopped by user",
        pull_started_at: at(100),
        pull_stopped_at: at(101),
        started_at: at(102),
        stopping_at: at(103),
        execution_stopped_at: at(104),
        stopped_at: at(105),
        overrides: {},
      }),
      [{ key: "team", value: "web" }],
    );
    expect(shape).toMatchObject({
      connectivity: "CONNECTED",
      connectivityAt: 102,
      pullStartedAt: 100,
      pullStoppedAt: 101,
      startedAt: 102,
      stoppingAt: 103,
      executionStoppedAt: 104,
      stoppedAt: 105,
      startedBy: "ci",
      stopCode: "UserInitiated",
      stoppedReason: "Task stopped by user",
      overrides: { containerOverrides: [] },
      tags: [{ key: "team", value: "web" }],
    });
  });

  it("shows a container's runtime id, exit code, reason and bindings once reported", () => {
    const [container] = formatTask(
      ARN,
      taskRow({
        containers: [
          {
            containerArn: "c",
            name: "web",
            image: "nginx",
            essential: true,
            cpu: "0",
            memoryReservation: "128",
            lastStatus: "STOPPED",
            exitCode: 137,
            reason: "OOM",
            runtimeId: "abc123",
            networkBindings: [
              { bindIP: "0.0.0.0", containerPort: 80, hostPort: 32768, protocol: "tcp" },
            ],
            healthStatus: "UNHEALTHY",
          },
        ],
      }),
    ).containers as Record<string, unknown>[];
    expect(container).toEqual({
      containerArn: "c",
      taskArn: TASK,
      name: "web",
      image: "nginx",
      runtimeId: "abc123",
      lastStatus: "STOPPED",
      exitCode: 137,
      reason: "OOM",
      networkBindings: [{ bindIP: "0.0.0.0", containerPort: 80, hostPort: 32768, protocol: "tcp" }],
      networkInterfaces: [],
      healthStatus: "UNHEALTHY",
      cpu: "0",
      memoryReservation: "128",
    });
  });
});
