import { z } from "zod";
import { Resource } from "../domain/resources.js";
import { TaskDefinition } from "../domain/taskDefinition/index.js";
import {
  Attribute,
  StopCode,
  TaskOverride,
  TaskStateChanged,
  TaskStatus,
  VersionInfo,
} from "../events/index.js";

/**
 * The messages between the scheduler and a node agent, on
 * `<prefix>.agent.<agentId>.<kind>`. Every subject an agent uses carries its
 * own id, so NATS permissions can confine an agent to `<prefix>.agent.<id>.>`.
 * `agentId` is the host's EC2-style instance id (e.g. `i-0a1b2c3d4e5f60718`).
 */
export const AGENT_SUBJECT_KINDS = [
  "register",
  "heartbeat",
  "manifest",
  "state",
  /** Several task state reports in one request (TaskStateReportBatch below). */
  "states",
  "stats",
  "notify",
  /** Container log lines, agent → api's log ingest (request; shared/logs/agentLogBatch.ts). */
  "logs",
  /** Task role credentials, agent → api (request; CredentialsRequest below). */
  "credentials",
  /** A container's `secrets` values, agent → api (request; shared/secrets/agentSecrets.ts). */
  "secrets",
] as const;
export type AgentSubjectKind = (typeof AGENT_SUBJECT_KINDS)[number];

export const AGENT_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** Request (agent → scheduler): join a cluster. Reply: RegisterReply. */
export const RegisterRequest = z.object({
  agentId: z.string().regex(AGENT_ID),
  cluster: z.string().optional(),
  availabilityZone: z.string().optional(),
  instanceType: z.string().optional(),
  totalResources: z.array(Resource),
  attributes: z.array(Attribute),
  versionInfo: VersionInfo,
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const RegisterReply = z.object({
  clusterName: z.string(),
  containerInstanceArn: z.string(),
});
export type RegisterReply = z.infer<typeof RegisterReply>;

/** Publish (agent → scheduler), every few seconds. */
export const Heartbeat = z.object({
  agentId: z.string(),
  containerInstanceArn: z.string(),
  at: z.number(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** One task the agent must converge on. */
export const ManifestTask = z.object({
  taskArn: z.string(),
  clusterName: z.string(),
  desiredStatus: z.enum(["RUNNING", "STOPPED"]),
  lastStatus: TaskStatus,
  taskDefinition: TaskDefinition,
  overrides: TaskOverride,
  containers: z.array(z.object({ name: z.string(), containerArn: z.string() })),
  stopCode: StopCode.optional(),
  stoppedReason: z.string().optional(),
  createdAt: z.number(),
});
export type ManifestTask = z.infer<typeof ManifestTask>;

/**
 * Request (agent → scheduler): the desired task set of one instance — the
 * level the agent converges on. Every task placed on the instance that has
 * not been reported STOPPED is in it.
 */
export const ManifestRequest = z.object({ containerInstanceArn: z.string() });
export const Manifest = z.object({
  containerInstanceArn: z.string(),
  /** False when the instance was deregistered: the agent stops everything and registers again. */
  active: z.boolean(),
  tasks: z.array(ManifestTask),
});
export type Manifest = z.infer<typeof Manifest>;

/**
 * Request (agent → scheduler): a task's state changed. Reply: `{}` once
 * recorded. The fields of TaskStateChanged; the scheduler knows the cluster.
 */
export const TaskStateReportMessage = TaskStateChanged.omit({ clusterName: true });
export type TaskStateReportMessage = z.infer<typeof TaskStateReportMessage>;

/** Reports one batch may carry: one round trip and one transaction for all of them. */
export const MAX_REPORTS_PER_BATCH = 200;

/**
 * Request (agent → scheduler, on `states`): several task state reports, each
 * as on `state`, recorded together in one transaction. Reports of one task are
 * recorded in the order given. Reply: ReportBatchReply once recorded.
 */
export const TaskStateReportBatch = z.object({
  reports: z.array(TaskStateReportMessage).min(1).max(MAX_REPORTS_PER_BATCH),
});
export type TaskStateReportBatch = z.infer<typeof TaskStateReportBatch>;

/**
 * The reports of a batch the scheduler refused, by their index in it; every
 * other report was recorded (or was a repeat). A retryable refusal may be sent
 * again; another never succeeds (the task is unknown, or not this agent's).
 */
export const ReportBatchReply = z.object({
  refused: z.array(
    z.object({
      index: z.number().int().min(0),
      type: z.string(),
      message: z.string(),
      retryable: z.boolean(),
    }),
  ),
});
export type ReportBatchReply = z.infer<typeof ReportBatchReply>;

/** Publish (agent → autoscaler): per-container usage against reservations. */
export const StatsReport = z.object({
  containerInstanceArn: z.string(),
  clusterName: z.string(),
  at: z.number(),
  tasks: z.array(
    z.object({
      taskArn: z.string(),
      group: z.string().optional(),
      containers: z.array(
        z.object({
          name: z.string(),
          /** CPU used, in ECS cpu units (1024 = one core), averaged since the last report. */
          cpuUnitsUsed: z.number(),
          cpuUnitsReserved: z.number(),
          memoryMiBUsed: z.number(),
          memoryMiBReserved: z.number(),
        }),
      ),
    }),
  ),
});
export type StatsReport = z.infer<typeof StatsReport>;

/** Publish (scheduler → agent): "your manifest changed" — a hint, never the only signal. */
export const Notify = z.object({ reason: z.string(), taskArn: z.string().optional() });
export type Notify = z.infer<typeof Notify>;

/**
 * Request (agent → api): temporary credentials of a task's role, for the
 * container credentials endpoint (docs/security.md, "Task roles"). Answered
 * only for a task placed on the requesting agent's own instance.
 */
export const CredentialsRequest = z.object({
  taskArn: z.string().min(1),
  /** The task's task role (served to its containers) or its execution role (the agent's own use). */
  use: z.enum(["task", "execution"]).default("task"),
});
export type CredentialsRequest = z.infer<typeof CredentialsRequest>;
