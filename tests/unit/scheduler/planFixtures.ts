/** Worlds for the service scheduler's pure planner: a service, its tasks, the cluster's instances. */
import { fold } from "../../../shared/aggregate/decider.js";
import type { PlacementCandidate } from "../../../services/scheduler/placement/index.js";
import {
  serviceAggregate,
  type ServiceState,
} from "../../../services/scheduler/ecsServices/serviceState.js";
import {
  DEFAULT_SETTINGS,
  type InstanceView,
  type PlanInput,
  type ServicePlan,
  type ServiceSchedulerSettings,
  type ServiceTask,
} from "../../../services/scheduler/serviceScheduler/plan/types.js";
import type { DomainEvent, ServiceStopReason } from "../../../shared/events/index.js";
import { NOW_EPOCH_SECONDS } from "./givenWhenThen.js";
import {
  arnOfInstance,
  arnOfRevision,
  arnOfTask,
  capacity,
  SERVICE_NAME,
} from "./schedulerFixtures.js";

export const NOW = NOW_EPOCH_SECONDS;
export const GROUP = `service:${SERVICE_NAME}`;
/** What every task of the service reserves. */
export const NEED = capacity(256, 512);
const HOST_CAPACITY = capacity(4096, 8192);

/** A container instance of the cluster: `a1`, `a2` in us-east-1a, `b1`, `b2` in us-east-1b… */
export interface Host {
  readonly id: string;
  readonly status: "ACTIVE" | "DRAINING" | "INACTIVE";
  readonly agentConnected: boolean;
  /** The zone letter; by default the id's first letter. */
  readonly zone: string;
}

export const host = (id: string, overrides: Partial<Omit<Host, "id">> = {}): Host => ({
  id,
  status: "ACTIVE",
  agentConnected: true,
  zone: id.slice(0, 1),
  ...overrides,
});

export const hosts = (...ids: string[]): Host[] => ids.map((id) => host(id));

export const instanceArn = (hostId: string): string => arnOfInstance("demo", hostId);
export const hostOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);
export const zoneOf = (arn: string): string => hostOf(arn).slice(0, 1);
export const taskId = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/** A task of the service, RUNNING (UNKNOWN health, no health check) for ten minutes. */
export const svcTask = (
  id: string,
  deploymentId: string,
  hostId: string,
  fields: Partial<ServiceTask> = {},
): ServiceTask => ({
  taskArn: arnOfTask(id),
  deploymentId,
  containerInstanceArn: instanceArn(hostId),
  lastStatus: "RUNNING",
  desiredStatus: "RUNNING",
  healthStatus: "UNKNOWN",
  startedAt: NOW - 600,
  createdAt: NOW - 700,
  ...fields,
});

export const pending = (id: string, deploymentId: string, hostId: string): ServiceTask =>
  svcTask(id, deploymentId, hostId, {
    lastStatus: "PENDING",
    startedAt: undefined,
    createdAt: NOW - 20,
  });

/** Stopped before it reached RUNNING (`stoppedAt` seconds ago). */
export const failedToStart = (
  id: string,
  deploymentId: string,
  hostId: string,
  stoppedAgo: number,
): ServiceTask =>
  svcTask(id, deploymentId, hostId, {
    lastStatus: "STOPPED",
    desiredStatus: "STOPPED",
    startedAt: undefined,
    stoppedAt: NOW - stoppedAgo,
    createdAt: NOW - stoppedAgo - 10,
    stopCode: "TaskFailedToStart",
    stoppedReason: "CannotPullContainerError",
  });

/** Asked to stop, not stopped yet. */
export const stopping = (t: ServiceTask): ServiceTask => ({ ...t, desiredStatus: "STOPPED" });
/** Stopped by the scheduler. */
export const stopped = (t: ServiceTask): ServiceTask => ({
  ...t,
  desiredStatus: "STOPPED",
  lastStatus: "STOPPED",
  stoppedAt: NOW - 1,
  stopCode: "ServiceSchedulerInitiated",
});

export const serviceState = (events: readonly DomainEvent[]): ServiceState =>
  fold(serviceAggregate, events);

/** Placement's view: each ACTIVE or DRAINING host with the service's tasks not yet STOPPED. */
export const candidatesOf = (
  cluster: readonly Host[],
  tasks: readonly ServiceTask[],
): PlacementCandidate[] =>
  cluster
    .filter((h) => h.status !== "INACTIVE")
    .map((h) => {
      const arn = instanceArn(h.id);
      const on = tasks.filter((t) => t.containerInstanceArn === arn && t.lastStatus !== "STOPPED");
      return {
        containerInstanceArn: arn,
        ec2InstanceId: `i-${h.id}`,
        status: h.status,
        agentConnected: h.agentConnected,
        attributes: {
          "ecs.availability-zone": `us-east-1${h.zone}`,
          "ecs.instance-type": "m5.large",
        },
        registered: HOST_CAPACITY,
        remaining: {
          ...HOST_CAPACITY,
          cpu: HOST_CAPACITY.cpu - on.length * NEED.cpu,
          memory: HOST_CAPACITY.memory - on.length * NEED.memory,
        },
        runningTasksCount: on.length,
        tasks: on.map((t) => ({
          taskArn: t.taskArn,
          group: GROUP,
          taskDefinitionArn: arnOfRevision("web", 1),
          reserved: NEED,
        })),
      };
    });

export interface World {
  readonly service: ServiceState | readonly DomainEvent[];
  readonly hosts: readonly Host[];
  readonly tasks?: readonly ServiceTask[];
  readonly healthChecked?: readonly string[];
  readonly now?: number;
  readonly settings?: Partial<ServiceSchedulerSettings>;
}

export const planInput = (w: World): PlanInput => {
  const tasks = w.tasks ?? [];
  return {
    service: Array.isArray(w.service)
      ? serviceState(w.service as DomainEvent[])
      : (w.service as ServiceState),
    tasks,
    instances: new Map<string, InstanceView>(
      w.hosts.map((h) => [
        instanceArn(h.id),
        { status: h.status, agentConnected: h.agentConnected },
      ]),
    ),
    candidates: candidatesOf(w.hosts, tasks),
    healthChecked: new Set(w.healthChecked ?? []),
    need: NEED,
    now: w.now ?? NOW,
    seed: "seed",
    settings: { ...DEFAULT_SETTINGS, ...w.settings },
  };
};

/** Task ids the plan stops, for one reason or all. */
export const stoppedIds = (plan: ServicePlan, reason?: ServiceStopReason): string[] =>
  plan.stop
    .filter((s) => reason === undefined || s.reason === reason)
    .flatMap((s) => s.taskArns.map(taskId))
    .sort();

/** Hosts the plan starts tasks on (sorted). */
export const startedHosts = (plan: ServicePlan): string[] =>
  (plan.start?.instances ?? []).map(hostOf).sort();

/** How many new tasks per zone letter. */
export const startedPerZone = (plan: ServicePlan): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const arn of plan.start?.instances ?? []) out[zoneOf(arn)] = (out[zoneOf(arn)] ?? 0) + 1;
  return out;
};

export const eventTypes = (plan: ServicePlan): string[] => plan.events.map((e) => e.type);
