import { z } from "zod";
import { Tag } from "../domain/tags/tag.js";

export const TaskStatus = z.enum([
  "PROVISIONING",
  "PENDING",
  "ACTIVATING",
  "RUNNING",
  "DEACTIVATING",
  "STOPPING",
  "DEPROVISIONING",
  "STOPPED",
]);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const ContainerStatus = z.enum(["PENDING", "RUNNING", "STOPPED"]);
export const HealthStatus = z.enum(["HEALTHY", "UNHEALTHY", "UNKNOWN"]);
export const StopCode = z.enum([
  "TaskFailedToStart",
  "EssentialContainerExited",
  "UserInitiated",
  "ServiceSchedulerInitiated",
  "SpotInterruption",
  "TerminationNotice",
]);

export const KeyValue = z.object({ name: z.string(), value: z.string() });

export const ContainerOverride = z.object({
  name: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.array(KeyValue).optional(),
  cpu: z.number().int().optional(),
  memory: z.number().int().optional(),
  memoryReservation: z.number().int().optional(),
});
export const TaskOverride = z.object({
  containerOverrides: z.array(ContainerOverride).optional(),
  cpu: z.string().optional(),
  memory: z.string().optional(),
  taskRoleArn: z.string().optional(),
  executionRoleArn: z.string().optional(),
});
export type TaskOverride = z.infer<typeof TaskOverride>;

export const NetworkBinding = z.object({
  bindIP: z.string(),
  containerPort: z.number().int(),
  hostPort: z.number().int(),
  protocol: z.enum(["tcp", "udp"]),
});

/** A task was created and placed on an instance; the agent will start it. */
export const TaskCreated = z.object({
  clusterName: z.string(),
  taskArn: z.string(),
  taskDefinitionArn: z.string(),
  containerInstanceArn: z.string(),
  availabilityZone: z.string().optional(),
  /** Events before launch types were honoured all say EC2. */
  launchType: z.enum(["EC2", "FARGATE", "EXTERNAL"]),
  /** The capacity provider it was placed through (absent for a launch-type launch). */
  capacityProviderName: z.string().optional(),
  group: z.string(),
  startedBy: z.string().optional(),
  overrides: TaskOverride,
  tags: z.array(Tag),
  cpu: z.string(),
  memory: z.string(),
  containers: z.array(
    z.object({
      containerArn: z.string(),
      name: z.string(),
      image: z.string(),
      essential: z.boolean(),
      cpu: z.string(),
      memory: z.string().optional(),
      memoryReservation: z.string().optional(),
    }),
  ),
  createdAt: z.number(),
});
export type TaskCreated = z.infer<typeof TaskCreated>;

/** StopTask (or the system) asked the task to stop: desiredStatus STOPPED. */
export const TaskStopRequested = z.object({
  clusterName: z.string(),
  taskArn: z.string(),
  stopCode: StopCode,
  stoppedReason: z.string(),
  at: z.number(),
});
export type TaskStopRequested = z.infer<typeof TaskStopRequested>;

export const ContainerStateReport = z.object({
  name: z.string(),
  lastStatus: ContainerStatus,
  runtimeId: z.string().optional(),
  exitCode: z.number().int().optional(),
  reason: z.string().optional(),
  networkBindings: z.array(NetworkBinding).optional(),
  healthStatus: HealthStatus.optional(),
});
export type ContainerStateReport = z.infer<typeof ContainerStateReport>;

/**
 * A task's network attachment as ECS reports an ENI: for an awsvpc task, its own network
 * namespace and address (the agent's pause container). `details` carries subnetId,
 * networkInterfaceId (eni-…), macAddress, privateDnsName and privateIPv4Address.
 */
export const TaskAttachment = z.object({
  id: z.string(),
  type: z.literal("ElasticNetworkInterface"),
  status: z.enum(["PRECREATED", "ATTACHED", "DELETED"]),
  details: z.array(KeyValue),
});
export type TaskAttachment = z.infer<typeof TaskAttachment>;

/** The agent (or an external one, through SubmitTaskStateChange) reported where the task is. */
export const TaskStateChanged = z.object({
  clusterName: z.string(),
  taskArn: z.string(),
  lastStatus: TaskStatus,
  healthStatus: HealthStatus.optional(),
  containers: z.array(ContainerStateReport),
  pullStartedAt: z.number().optional(),
  pullStoppedAt: z.number().optional(),
  startedAt: z.number().optional(),
  stoppingAt: z.number().optional(),
  executionStoppedAt: z.number().optional(),
  stoppedAt: z.number().optional(),
  stopCode: StopCode.optional(),
  stoppedReason: z.string().optional(),
  /** The task's attachments as they are now (absent: unchanged). */
  attachments: z.array(TaskAttachment).optional(),
  at: z.number(),
});
export type TaskStateChanged = z.infer<typeof TaskStateChanged>;
