import { EVENT_CATALOGUE, type EventType } from "../../../shared/events/index.js";
import type { RecordedEvent } from "../../../shared/eventstore/index.js";
import {
  foldResource,
  initialState,
  toPublicEvents,
  type AnyPublicEvent,
  type ResourceState,
} from "../../../shared/publicEvents/index.js";

export const ARN = { region: "us-east-1", accountId: "123456789012" };
const ecs = "arn:aws:ecs:us-east-1:123456789012";
export const CLUSTER_ARN = `${ecs}:cluster/demo`;
export const TASK_ARN = `${ecs}:task/demo/0a1b2c3d`;
export const INSTANCE_ARN = `${ecs}:container-instance/demo/i0001`;
export const SERVICE_ARN = `${ecs}:service/demo/web`;
const TASK_DEF = `${ecs}:task-definition/web:3`;

const T0 = 1_764_000_000; // epoch seconds

/** One internal event as the log records it; its data is checked against the catalogue. */
const recorded = (
  position: number,
  streamId: string,
  streamVersion: number,
  type: EventType,
  data: Record<string, unknown>,
): RecordedEvent => ({
  position,
  eventId: `e${position}`,
  streamId,
  streamVersion,
  type,
  schemaVersion: 1,
  data: EVENT_CATALOGUE[type].schema.parse(data),
  metadata: { actor: "test", correlationId: "c" },
  recordedAt: new Date((T0 + position) * 1000),
  transactionId: String(1000 + position),
});

const task = "task:demo/0a1b2c3d";
const instance = "instance:demo/i0001";
const service = "service:demo/web";
const reserved = { cpu: 256, memory: 512, tcpPorts: [8080], udpPorts: [] };

/** A realistic slice of the log: a task's life, its instance, a service with a rolled-back deployment. */
export const sampleLog = (): RecordedEvent[] => {
  let p = 0;
  const at = () => T0 + p;
  return [
    recorded(++p, instance, 1, "ContainerInstanceRegistered", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      ec2InstanceId: "i-0abc",
      availabilityZone: "us-east-1a",
      registeredResources: [
        { name: "CPU", type: "INTEGER", integerValue: 2048 },
        { name: "MEMORY", type: "INTEGER", integerValue: 4096 },
        { name: "PORTS", type: "STRINGSET", stringSetValue: ["22"] },
      ],
      attributes: [{ name: "ecs.os-type", value: "linux" }],
      versionInfo: { agentVersion: "1.0.0", dockerVersion: "27.0" },
      tags: [],
      registeredAt: at(),
    }),
    recorded(++p, service, 1, "ServiceCreated", {
      clusterName: "demo",
      serviceName: "web",
      serviceArn: SERVICE_ARN,
      taskDefinitionArn: TASK_DEF,
      desiredCount: 1,
      launchType: "EC2",
      schedulingStrategy: "REPLICA",
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      placementConstraints: [],
      placementStrategy: [],
      loadBalancers: [],
      tags: [],
      enableECSManagedTags: false,
      requestDigest: "d",
      deploymentId: "ecs-svc/1111",
      createdBy: "test",
      createdAt: at(),
    }),
    recorded(++p, task, 1, "TaskCreated", {
      clusterName: "demo",
      taskArn: TASK_ARN,
      taskDefinitionArn: TASK_DEF,
      containerInstanceArn: INSTANCE_ARN,
      availabilityZone: "us-east-1a",
      launchType: "EC2",
      group: "service:web",
      startedBy: "ecs-svc/1111",
      overrides: {},
      tags: [],
      cpu: "256",
      memory: "512",
      containers: [
        {
          containerArn: `${ecs}:container/demo/0a1b2c3d/c1`,
          name: "app",
          image: "nginx",
          essential: true,
          cpu: "256",
          memory: "512",
        },
      ],
      createdAt: at(),
    }),
    recorded(++p, instance, 2, "TaskPlaced", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      taskArn: TASK_ARN,
      reserved,
    }),
    recorded(++p, service, 2, "ServiceTasksStarted", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      deploymentId: "ecs-svc/1111",
      taskArns: [TASK_ARN],
      at: at(),
    }),
    recorded(++p, task, 2, "ResourceTagged", {
      resourceArn: TASK_ARN,
      clusterName: "demo",
      tags: [{ key: "team", value: "a" }],
    }),
    recorded(++p, task, 3, "TaskStateChanged", {
      clusterName: "demo",
      taskArn: TASK_ARN,
      lastStatus: "RUNNING",
      containers: [
        {
          name: "app",
          lastStatus: "RUNNING",
          runtimeId: "d0c",
          networkBindings: [
            { bindIP: "0.0.0.0", containerPort: 80, hostPort: 8080, protocol: "tcp" },
          ],
        },
      ],
      pullStartedAt: at() - 1,
      pullStoppedAt: at(),
      startedAt: at(),
      at: at(),
    }),
    recorded(++p, service, 3, "ServiceSteadyStateReached", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      at: at(),
    }),
    recorded(++p, service, 4, "ServiceUpdated", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      taskDefinitionArn: `${ecs}:task-definition/web:4`,
      deploymentId: "ecs-svc/2222",
      updatedAt: at(),
    }),
    recorded(++p, service, 5, "ServiceTaskPlacementFailed", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      message:
        "(service web) was unable to place a task because no container instance met all of its requirements.",
      at: at(),
    }),
    recorded(++p, service, 6, "ServiceTaskLaunchThrottled", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      consecutiveFailures: 3,
      delaySeconds: 10,
      until: at() + 10,
      at: at(),
    }),
    recorded(++p, service, 7, "ServiceDeploymentFailed", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      deploymentId: "ecs-svc/2222",
      reason: "circuit breaker: 3 tasks failed to start",
      failedTasks: 3,
      rollback: { deploymentId: "ecs-svc/1111", taskDefinitionArn: TASK_DEF },
      at: at(),
    }),
    recorded(++p, service, 8, "ServiceDeploymentCompleted", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      deploymentId: "ecs-svc/1111",
      at: at(),
    }),
    recorded(++p, task, 4, "TaskStopRequested", {
      clusterName: "demo",
      taskArn: TASK_ARN,
      stopCode: "ServiceSchedulerInitiated",
      stoppedReason: "Scaling activity initiated by (service web)",
      at: at(),
    }),
    recorded(++p, service, 9, "ServiceTasksStopped", {
      clusterName: "demo",
      serviceArn: SERVICE_ARN,
      reason: "scale-in",
      taskArns: [TASK_ARN],
      at: at(),
    }),
    recorded(++p, instance, 3, "ContainerInstanceConnectivityChanged", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      agentConnected: false,
      at: at(),
    }),
    recorded(++p, task, 5, "TaskStateChanged", {
      clusterName: "demo",
      taskArn: TASK_ARN,
      lastStatus: "STOPPED",
      containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 0, reason: "stopped" }],
      stoppingAt: at() - 1,
      executionStoppedAt: at(),
      stoppedAt: at(),
      at: at(),
    }),
    recorded(++p, instance, 4, "TaskResourcesReleased", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      taskArn: TASK_ARN,
    }),
    recorded(++p, instance, 5, "ContainerInstanceStatusChanged", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      status: "DRAINING",
      at: at(),
    }),
    recorded(++p, instance, 6, "ContainerInstanceDeregistered", {
      clusterName: "demo",
      containerInstanceArn: INSTANCE_ARN,
      force: false,
      deregisteredAt: at(),
    }),
  ];
};

/** Maps a log as the relay does: folding each resource's stream in order. */
export const mapLog = (log: readonly RecordedEvent[]): AnyPublicEvent[] => {
  const states = new Map<string, ResourceState>();
  return log.flatMap((event) => {
    const state = foldResource(states.get(event.streamId) ?? initialState(event.streamId), event);
    states.set(event.streamId, state);
    return toPublicEvents(event, { arn: ARN, state });
  });
};
