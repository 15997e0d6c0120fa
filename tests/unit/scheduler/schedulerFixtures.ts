/** Past events for the scheduler's given / when / then tests, built the way the deciders build them. */
import type { InstanceRegistration } from "../../../services/scheduler/containerInstances/registerContainerInstance.js";
import type { TaskStateReport } from "../../../services/scheduler/tasks/reportTaskState.js";
import { TASK_LIFECYCLE } from "../../../services/scheduler/tasks/taskState.js";
import {
  clusterArn,
  containerArn,
  containerInstanceArn,
  serviceArn,
  taskArn,
  taskDefinitionArn,
} from "../../../shared/domain/arn.js";
import {
  DEFAULT_RESERVED_PORTS,
  resourcesFromCapacity,
  type Capacity,
} from "../../../shared/domain/resources.js";
import type { Tag } from "../../../shared/domain/tags/tag.js";
import {
  buildTaskDefinition,
  type RegisterTaskDefinitionInput,
} from "../../../shared/domain/taskDefinition/index.js";
import type {
  ContainerInstanceRegistered,
  ContainerStateReport,
  DomainEvent,
  ServiceCreated,
  ServiceStopReason,
  ServiceUpdated,
  TaskCreated,
  TaskStatus,
  TaskStopRequested,
} from "../../../shared/events/index.js";
import { ctx, NOW_EPOCH_SECONDS, NOW_ISO } from "./givenWhenThen.js";

export const ACCOUNT = ctx.arn.accountId;
export const REGION = ctx.arn.region;
export const PRINCIPAL_ARN = `arn:aws:iam::${ACCOUNT}:user/${ctx.actor}`;

export const arnOfCluster = (name: string): string => clusterArn(ctx.arn, name);
export const arnOfRevision = (family: string, revision: number): string =>
  taskDefinitionArn(ctx.arn, family, revision);

export const clusterCreated = (name = "demo", tags: readonly Tag[] = []): DomainEvent => ({
  type: "ClusterCreated",
  data: {
    clusterName: name,
    clusterArn: arnOfCluster(name),
    settings: [{ name: "containerInsights", value: "disabled" }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
    createdAt: "2025-12-01T00:00:00.000Z",
  },
});

export const clusterDeleted = (name = "demo"): DomainEvent => ({
  type: "ClusterDeleted",
  data: { clusterName: name, clusterArn: arnOfCluster(name), deletedAt: NOW_ISO },
});

/** A valid EC2 task definition request with one container. */
export const taskDefinitionInput = (
  overrides: Partial<RegisterTaskDefinitionInput> = {},
): RegisterTaskDefinitionInput => ({
  family: "web",
  containerDefinitions: [{ name: "web", image: "nginx:1.27", memory: 512 }],
  ...overrides,
});

export const taskDefinitionRegistered = (
  family: string,
  revision: number,
  tags: readonly Tag[] = [],
): DomainEvent => {
  const arn = arnOfRevision(family, revision);
  return {
    type: "TaskDefinitionRegistered",
    data: {
      family,
      revision,
      taskDefinitionArn: arn,
      taskDefinition: buildTaskDefinition(taskDefinitionInput({ family }), {
        arn,
        revision,
        registeredAt: NOW_EPOCH_SECONDS - 3600,
        registeredBy: PRINCIPAL_ARN,
      }),
      tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
    },
  };
};

export const taskDefinitionDeregistered = (family: string, revision: number): DomainEvent => ({
  type: "TaskDefinitionDeregistered",
  data: {
    family,
    revision,
    taskDefinitionArn: arnOfRevision(family, revision),
    deregisteredAt: NOW_EPOCH_SECONDS - 60,
  },
});

export const resourceTagged = (
  resourceArn: string,
  tags: readonly Tag[],
  clusterName?: string,
): DomainEvent => ({
  type: "ResourceTagged",
  data: {
    resourceArn,
    ...(clusterName === undefined ? {} : { clusterName }),
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? "" })),
  },
});

export const resourceUntagged = (
  resourceArn: string,
  tagKeys: readonly string[],
  clusterName?: string,
): DomainEvent => ({
  type: "ResourceUntagged",
  data: {
    resourceArn,
    ...(clusterName === undefined ? {} : { clusterName }),
    tagKeys: [...tagKeys],
  },
});

/** `count` distinct tags `k0=v0`, `k1=v1`, … */
export const manyTags = (count: number, prefix = "k"): Tag[] =>
  Array.from({ length: count }, (_, i) => ({ key: `${prefix}${i}`, value: `v${i}` }));

// ---- container instances and tasks ----------------------------------------------------------

export const EC2_INSTANCE_ID = "i-0123456789abcdef0";

/** The ARN of a container instance: `container-instance/<cluster>/<id>`. */
export const arnOfInstance = (
  clusterName = "demo",
  id = "0123456789abcdef0123456789abcdef",
): string => containerInstanceArn(ctx.arn, clusterName, id);

/** The ARN of a task: `task/<cluster>/<id>`. */
export const arnOfTask = (taskId = "t1", clusterName = "demo"): string =>
  taskArn(ctx.arn, clusterName, taskId);

/** A capacity with no ports unless given. */
export const capacity = (
  cpu: number,
  memory: number,
  tcpPorts: readonly number[] = [],
  udpPorts: readonly number[] = [],
): Capacity => ({ cpu, memory, tcpPorts: [...tcpPorts], udpPorts: [...udpPorts] });

/** The resources a host registers: 2048 CPU units, 4096 MiB, ECS's reserved tcp ports. */
export const DEFAULT_INSTANCE_CAPACITY: Capacity = capacity(2048, 4096, DEFAULT_RESERVED_PORTS);

/** A RegisterContainerInstance request as the command handler builds it. */
export const instanceRegistration = (
  overrides: Partial<InstanceRegistration> = {},
): InstanceRegistration => ({
  clusterName: "demo",
  containerInstanceArn: arnOfInstance(),
  ec2InstanceId: EC2_INSTANCE_ID,
  availabilityZone: "us-east-1a",
  instanceType: "m5.large",
  totalResources: resourcesFromCapacity(DEFAULT_INSTANCE_CAPACITY),
  attributes: [{ name: "ecs.os-type", value: "linux" }],
  versionInfo: { agentVersion: "1.0.0", dockerVersion: "27.0.0" },
  tags: [],
  ...overrides,
});

export const containerInstanceRegistered = (
  registered: Capacity = DEFAULT_INSTANCE_CAPACITY,
  overrides: Partial<ContainerInstanceRegistered> = {},
): DomainEvent => ({
  type: "ContainerInstanceRegistered",
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    ec2InstanceId: EC2_INSTANCE_ID,
    availabilityZone: "us-east-1a",
    registeredResources: resourcesFromCapacity(registered),
    attributes: [
      { name: "ecs.os-type", value: "linux" },
      { name: "ecs.availability-zone", value: "us-east-1a" },
      { name: "ecs.instance-type", value: "m5.large" },
    ],
    versionInfo: { agentVersion: "1.0.0", dockerVersion: "27.0.0" },
    tags: [],
    registeredAt: NOW_EPOCH_SECONDS - 3600,
    ...overrides,
  },
});

export const containerInstanceDeregistered = (force = false): DomainEvent => ({
  type: "ContainerInstanceDeregistered",
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    force,
    deregisteredAt: NOW_EPOCH_SECONDS - 60,
  },
});

export const connectivityChanged = (agentConnected: boolean): DomainEvent => ({
  type: "ContainerInstanceConnectivityChanged",
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    agentConnected,
    at: NOW_EPOCH_SECONDS - 120,
  },
});

export const statusChanged = (status: "ACTIVE" | "DRAINING"): DomainEvent => ({
  type: "ContainerInstanceStatusChanged",
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    status,
    at: NOW_EPOCH_SECONDS - 60,
  },
});

export const taskPlaced = (taskId: string, reserved: Capacity): DomainEvent => ({
  type: "TaskPlaced",
  data: {
    clusterName: "demo",
    containerInstanceArn: arnOfInstance(),
    taskArn: arnOfTask(taskId),
    reserved: { ...reserved, tcpPorts: [...reserved.tcpPorts], udpPorts: [...reserved.udpPorts] },
  },
});

export const taskResourcesReleased = (taskId: string): DomainEvent => ({
  type: "TaskResourcesReleased",
  data: { clusterName: "demo", containerInstanceArn: arnOfInstance(), taskArn: arnOfTask(taskId) },
});

/** TaskCreated's data for a one-container (or `containerNames`) task of `web:1` on the instance. */
export const taskCreatedData = (
  taskId = "t1",
  containerNames: readonly string[] = ["web"],
): TaskCreated => ({
  clusterName: "demo",
  taskArn: arnOfTask(taskId),
  taskDefinitionArn: arnOfRevision("web", 1),
  containerInstanceArn: arnOfInstance(),
  availabilityZone: "us-east-1a",
  launchType: "EC2",
  group: "family:web",
  overrides: { containerOverrides: [] },
  tags: [],
  cpu: "0",
  memory: "512",
  containers: containerNames.map((name, i) => ({
    containerArn: containerArn(ctx.arn, "demo", taskId, `c${i}`),
    name,
    image: "nginx:1.27",
    essential: true,
    cpu: "0",
    memory: "512",
  })),
  createdAt: NOW_EPOCH_SECONDS - 300,
});

export const taskCreated = (
  taskId = "t1",
  containerNames: readonly string[] = ["web"],
): DomainEvent => ({ type: "TaskCreated", data: taskCreatedData(taskId, containerNames) });

export const taskStopRequested = (
  taskId = "t1",
  stopCode: TaskStopRequested["stopCode"] = "UserInitiated",
  stoppedReason = "stopped by the user",
): DomainEvent => ({
  type: "TaskStopRequested",
  data: {
    clusterName: "demo",
    taskArn: arnOfTask(taskId),
    stopCode,
    stoppedReason,
    at: NOW_EPOCH_SECONDS - 30,
  },
});

/** A task state report whose containers all share the task's status (PENDING before RUNNING). */
export const taskReport = (
  lastStatus: TaskStatus,
  containers: readonly ContainerStateReport[] = [
    { name: "web", lastStatus: containerStatusFor(lastStatus) },
  ],
  extra: Partial<TaskStateReport> = {},
): TaskStateReport => ({
  lastStatus,
  containers: [...containers],
  at: NOW_EPOCH_SECONDS - 10,
  ...extra,
});

/** The container status that goes with a task status. */
export const containerStatusFor = (s: TaskStatus): ContainerStateReport["lastStatus"] => {
  const i = TASK_LIFECYCLE.indexOf(s);
  return i < TASK_LIFECYCLE.indexOf("RUNNING")
    ? "PENDING"
    : s === "STOPPED"
      ? "STOPPED"
      : "RUNNING";
};

export const taskStateChanged = (report: TaskStateReport, taskId = "t1"): DomainEvent => ({
  type: "TaskStateChanged",
  data: { ...report, clusterName: "demo", taskArn: arnOfTask(taskId) },
});

// ---- services --------------------------------------------------------------------------------

export const SERVICE_NAME = "web";
export const SERVICE_ARN = serviceArn(ctx.arn, "demo", SERVICE_NAME);
/** ECS-style deployment ids: `ecs-svc/` and 19 digits. */
export const DEPLOYMENT_1 = "ecs-svc/1000000000000000001";
export const DEPLOYMENT_2 = "ecs-svc/2000000000000000002";
export const DEPLOYMENT_3 = "ecs-svc/3000000000000000003";
export const REQUEST_DIGEST = "a".repeat(64);

const serviceIds = { clusterName: "demo", serviceArn: SERVICE_ARN } as const;

/** ServiceCreated's data for a REPLICA service `web` of `web:1` at 100/200, 2 tasks. */
export const serviceCreatedData = (overrides: Partial<ServiceCreated> = {}): ServiceCreated => ({
  ...serviceIds,
  serviceName: SERVICE_NAME,
  taskDefinitionArn: arnOfRevision("web", 1),
  desiredCount: 2,
  launchType: "EC2",
  schedulingStrategy: "REPLICA",
  deploymentConfiguration: {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    deploymentCircuitBreaker: { enable: false, rollback: false },
  },
  placementConstraints: [],
  placementStrategy: [],
  loadBalancers: [],
  tags: [],
  enableECSManagedTags: false,
  requestDigest: REQUEST_DIGEST,
  deploymentId: DEPLOYMENT_1,
  createdBy: ctx.actor,
  createdAt: NOW_EPOCH_SECONDS - 3600,
  ...overrides,
});

export const serviceCreated = (overrides: Partial<ServiceCreated> = {}): DomainEvent => ({
  type: "ServiceCreated",
  data: serviceCreatedData(overrides),
});

export const serviceUpdated = (
  change: Omit<Partial<ServiceUpdated>, "clusterName" | "serviceArn">,
): DomainEvent => ({
  type: "ServiceUpdated",
  data: { ...serviceIds, updatedAt: NOW_EPOCH_SECONDS - 1800, ...change },
});

/** A new PRIMARY deployment of `web:<revision>`. */
export const serviceRedeployed = (deploymentId: string, revision: number): DomainEvent =>
  serviceUpdated({ taskDefinitionArn: arnOfRevision("web", revision), deploymentId });

export const serviceTasksStarted = (
  deploymentId: string,
  taskIds: readonly string[],
): DomainEvent => ({
  type: "ServiceTasksStarted",
  data: {
    ...serviceIds,
    deploymentId,
    taskArns: taskIds.map((id) => arnOfTask(id)),
    at: NOW_EPOCH_SECONDS - 600,
  },
});

export const serviceTasksStopped = (
  reason: ServiceStopReason,
  taskIds: readonly string[],
): DomainEvent => ({
  type: "ServiceTasksStopped",
  data: {
    ...serviceIds,
    reason,
    taskArns: taskIds.map((id) => arnOfTask(id)),
    at: NOW_EPOCH_SECONDS - 300,
  },
});

export const serviceTasksDraining = (
  reason: ServiceStopReason,
  taskIds: readonly string[],
): DomainEvent => ({
  type: "ServiceTasksDraining",
  data: {
    ...serviceIds,
    reason,
    taskArns: taskIds.map((id) => arnOfTask(id)),
    targetGroupArns: [
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef",
    ],
    at: NOW_EPOCH_SECONDS - 320,
  },
});

export const serviceTaskPlacementFailed = (
  message = "(service web) was unable to place a task",
): DomainEvent => ({
  type: "ServiceTaskPlacementFailed",
  data: { ...serviceIds, message, at: NOW_EPOCH_SECONDS - 200 },
});

export const serviceTaskLaunchThrottled = (
  consecutiveFailures = 3,
  delaySeconds = 10,
  at = NOW_EPOCH_SECONDS - 5,
): DomainEvent => ({
  type: "ServiceTaskLaunchThrottled",
  data: { ...serviceIds, consecutiveFailures, delaySeconds, until: at + delaySeconds, at },
});

export const serviceDeploymentCompleted = (deploymentId = DEPLOYMENT_1): DomainEvent => ({
  type: "ServiceDeploymentCompleted",
  data: { ...serviceIds, deploymentId, at: NOW_EPOCH_SECONDS - 3000 },
});

export const serviceDeploymentFailed = (
  deploymentId: string,
  rollback?: { readonly deploymentId: string; readonly taskDefinitionArn: string },
): DomainEvent => ({
  type: "ServiceDeploymentFailed",
  data: {
    ...serviceIds,
    deploymentId,
    reason: "tasks failed to start",
    failedTasks: 3,
    ...(rollback ? { rollback: { ...rollback } } : {}),
    at: NOW_EPOCH_SECONDS - 100,
  },
});

export const serviceDeploymentsRetired = (deploymentIds: readonly string[]): DomainEvent => ({
  type: "ServiceDeploymentsRetired",
  data: { ...serviceIds, deploymentIds: [...deploymentIds], at: NOW_EPOCH_SECONDS - 60 },
});

export const serviceSteadyStateReached = (): DomainEvent => ({
  type: "ServiceSteadyStateReached",
  data: { ...serviceIds, at: NOW_EPOCH_SECONDS - 50 },
});

export const serviceDeleted = (force = false): DomainEvent => ({
  type: "ServiceDeleted",
  data: { ...serviceIds, force, at: NOW_EPOCH_SECONDS - 40 },
});

export const serviceInactivated = (): DomainEvent => ({
  type: "ServiceInactivated",
  data: { ...serviceIds, at: NOW_EPOCH_SECONDS - 20 },
});
