import { mapConcurrently } from "../../../shared/async/mapConcurrently.js";
import { targetGroupNameFromArn } from "../../../shared/domain/elbv2.js";
import {
  containerInstanceStream,
  serviceStream,
  targetGroupStream,
  taskStream,
} from "../../../shared/domain/streams.js";
import type { Capacity } from "../../../shared/domain/resources.js";
import type { TaskDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { EventMetadata, StreamAppend } from "../../../shared/eventstore/index.js";
import {
  newEvent,
  toDomainEvent,
  type DomainEvent,
  type ServiceStopReason,
  type Target,
} from "../../../shared/events/index.js";
import type { SchedulerContext } from "../context.js";
import { fold, type DecisionContext } from "../../../shared/aggregate/decider.js";
import {
  decideDeregisterTargets,
  decideRegisterTargets,
  targetGroupAggregate,
} from "../loadBalancing/targetGroups/index.js";
import { targetKey } from "../loadBalancing/targetGroups/targetGroupState.js";
import { instanceAggregate } from "../containerInstances/instanceState.js";
import { loadInstanceStates } from "../containerInstances/instanceStates.js";
import type { ServiceState } from "../ecsServices/serviceState.js";
import { newTask } from "../tasks/newTask.js";
import { cannotPlace, decidePlaceTask } from "../tasks/placeTask.js";
import { decideStopTask } from "../tasks/stopTask.js";
import { taskAggregate } from "../tasks/taskState.js";
import { FAILED_HEALTH_CHECKS } from "./plan/taskHealth.js";
import { SPOT_INTERRUPTED } from "../spot/spotMessages.js";
import type { ServicePlan, TargetChange, TaskTarget } from "./plan/types.js";
import type { InstancePlacement } from "./loadServiceView.js";

/** Task streams read at once when a step stops many tasks. */
const READ_CONCURRENCY = 8;

/** The stoppedReason each stopped task carries, in the spirit of ECS's. */
const stoppedReason = (reason: ServiceStopReason, deploymentId: string): string => {
  switch (reason) {
    case "scale-in":
    case "deployment":
      return `Scaling activity initiated by (deployment ${deploymentId})`;
    case "draining":
      return "Container instance is DRAINING: the task was replaced elsewhere";
    case "unhealthy":
      return FAILED_HEALTH_CHECKS;
    case "instance-lost":
      return "Container instance agent disconnected: the task was replaced elsewhere";
    case "service-deleted":
      return "Service deleted";
    case "daemon-ineligible":
      return "Container instance no longer meets the DAEMON service's placement constraints";
    case "drained":
      return "Task deregistered from its target groups and drained";
    case "spot-interruption":
      return SPOT_INTERRUPTED;
  }
};

const idOf = (arn: string): string => arn.slice(arn.lastIndexOf("/") + 1);

/**
 * Registrations, deregistrations and drains on the target groups' streams,
 * each decided on the group's folded state at the version read, in the same
 * transaction as the rest of the step. A drain records ServiceTasksDraining:
 * the tasks keep running until their targets have drained.
 */
const appendTargetChanges = async (
  ctx: SchedulerContext,
  plan: ServicePlan,
  a: ApplyContext,
  dc: DecisionContext,
  appends: StreamAppend[],
  serviceEvents: DomainEvent[],
  stopped: readonly string[],
): Promise<void> => {
  const created = a.service.created!;
  const byGroup = new Map<string, { register: TargetChange[]; deregister: Target[] }>();
  const group = (arn: string) => {
    const g = byGroup.get(arn) ?? { register: [], deregister: [] };
    byGroup.set(arn, g);
    return g;
  };
  for (const r of plan.register ?? []) group(r.targetGroupArn).register.push(r);
  for (const d of plan.deregister ?? []) group(d.targetGroupArn).deregister.push(...d.targets);
  const draining: { reason: ServiceStopReason; taskArns: string[]; groups: Set<string> }[] = [];
  for (const order of plan.drain ?? []) {
    const groups = new Set<string>();
    const taskArns = order.taskArns.filter((arn) => !stopped.includes(arn));
    for (const arn of taskArns) {
      for (const t of a.targetsOf.get(arn) ?? []) {
        if (t.state === "draining") continue;
        group(t.targetGroupArn).deregister.push({ id: t.id, port: t.port });
        groups.add(t.targetGroupArn);
      }
    }
    if (taskArns.length > 0) draining.push({ reason: order.reason, taskArns, groups });
  }
  for (const [arn, changes] of byGroup) {
    const name = targetGroupNameFromArn(arn);
    if (name === undefined) continue;
    const streamId = targetGroupStream(name);
    const { version, events } = await ctx.store.readStream(streamId);
    let state = fold(targetGroupAggregate, events.map(toDomainEvent));
    if (state.status !== "ACTIVE") continue;
    const decided: DomainEvent[] = [];
    for (const r of changes.register) {
      const e = decideRegisterTargets(r.targets, r.taskArns, state, dc);
      state = e.reduce(targetGroupAggregate.evolve, state);
      decided.push(...e);
    }
    const known = changes.deregister.filter((t) => state.targets.has(targetKey(t)));
    if (known.length > 0) {
      const e = decideDeregisterTargets(known, state, dc);
      state = e.reduce(targetGroupAggregate.evolve, state);
      decided.push(...e);
    }
    if (decided.length === 0) continue;
    appends.push({
      streamId,
      events: decided.map((e) => newEvent(e.type, e.data)),
      expectedVersion: version,
    });
  }
  for (const d of draining) {
    serviceEvents.push({
      type: "ServiceTasksDraining",
      data: {
        clusterName: created.clusterName,
        serviceArn: created.serviceArn,
        reason: d.reason,
        taskArns: d.taskArns,
        targetGroupArns: [...d.groups].sort(),
        at: dc.now.getTime() / 1000,
      },
    });
  }
};

export interface ApplyContext {
  readonly service: ServiceState;
  /** The service stream's version the plan was made at: the append expects it. */
  readonly version: number;
  readonly primaryTaskDefinition: TaskDefinition;
  readonly need: Capacity;
  readonly agentOf: ReadonlyMap<string, string>;
  /** Each task's targets (for drains). */
  readonly targetsOf: ReadonlyMap<string, readonly TaskTarget[]>;
  /**
   * Where a task on each instance is recorded (the instance's own cluster's
   * stream: a managed pool's instance is in its reserved cluster) and what it
   * reports (launchType, capacityProviderName). Absent: the service's cluster, EC2.
   */
  readonly placementOf?: ReadonlyMap<string, InstancePlacement>;
}

/**
 * Records one step in one transaction: the service's events at the version
 * the plan was made at, each new task with its reservation on its instance
 * (re-checked on the instance's state at its stream's version, as the read models
 * hold it, and appended expecting that version), and
 * each stop on its task's stream. Another scheduler replica that decided at
 * the same version loses with a ConcurrencyError and plans again.
 */
export const applyPlan = async (
  ctx: SchedulerContext,
  plan: ServicePlan,
  a: ApplyContext,
): Promise<{ started: string[]; stopped: string[] }> => {
  const created = a.service.created!;
  const { clusterName, serviceArn } = created;
  const now = ctx.clock();
  const at = now.getTime() / 1000;
  const dc = { now, arn: ctx.arn, actor: "flotilla-service-scheduler" };
  const appends: StreamAppend[] = [];
  const serviceEvents: DomainEvent[] = [];
  const notify = new Set<string>();
  const primaryId = a.service.deployments.find((d) => d.status === "PRIMARY")?.id ?? "";

  const stopped: string[] = [];
  // Every task to stop, read side by side: a node loss stops hundreds at once.
  const toStop = plan.stop.flatMap((order) => order.taskArns);
  const read = await mapConcurrently(toStop, READ_CONCURRENCY, (arn) =>
    ctx.store.readStream(taskStream(clusterName, idOf(arn))),
  );
  const readOf = new Map(toStop.map((arn, i) => [arn, read[i]!]));
  for (const order of plan.stop) {
    const done: string[] = [];
    for (const arn of order.taskArns) {
      const streamId = taskStream(clusterName, idOf(arn));
      const { version, events } = readOf.get(arn)!;
      const state = fold(taskAggregate, events.map(toDomainEvent));
      const decided = decideStopTask(
        { stopCode: "ServiceSchedulerInitiated", reason: stoppedReason(order.reason, primaryId) },
        state,
        dc,
      );
      if (decided.length === 0) {
        // Already stopped while draining: recorded, so the service forgets it.
        if (a.service.draining.has(arn)) done.push(arn);
        continue;
      }
      appends.push({
        streamId,
        events: decided.map((e) => newEvent(e.type, e.data)),
        expectedVersion: version,
      });
      done.push(arn);
      const agent = a.agentOf.get(state.created!.containerInstanceArn);
      if (agent) notify.add(agent);
    }
    if (done.length > 0) {
      serviceEvents.push({
        type: "ServiceTasksStopped",
        data: { clusterName, serviceArn, reason: order.reason, taskArns: done, at },
      });
      stopped.push(...done);
    }
  }

  const started: string[] = [];
  if (plan.start) {
    const perInstance = new Map<string, number>();
    for (const i of plan.start.instances) perInstance.set(i, (perInstance.get(i) ?? 0) + 1);
    // Every instance's state at its stream's version, from the read models, one read per
    // cluster the instances are in (the service's, a managed pool's).
    const placementOf = (arn: string): InstancePlacement =>
      a.placementOf?.get(arn) ?? { clusterName, launchType: "EC2" };
    const byCluster = new Map<string, string[]>();
    for (const arn of perInstance.keys()) {
      const c = placementOf(arn).clusterName;
      byCluster.set(c, [...(byCluster.get(c) ?? []), arn]);
    }
    const states = new Map(
      (
        await Promise.all([...byCluster].map(([c, arns]) => loadInstanceStates(ctx, c, arns)))
      ).flatMap((m) => [...m]),
    );
    for (const [instanceArn, count] of perInstance) {
      const where = placementOf(instanceArn);
      const streamId = containerInstanceStream(where.clusterName, idOf(instanceArn));
      const loaded = states.get(instanceArn);
      const version = loaded?.version ?? 0;
      let instance = loaded?.state ?? instanceAggregate.initialState;
      const placed: DomainEvent[] = [];
      for (let k = 0; k < count && !cannotPlace(a.need, instance); k++) {
        const { taskId, created: task } = newTask(ctx.arn, {
          clusterName,
          taskDefinition: a.primaryTaskDefinition,
          need: a.need,
          containerInstanceArn: instanceArn,
          availabilityZone: instance.availabilityZone,
          launchType: where.launchType,
          capacityProviderName: where.capacityProviderName,
          group: `service:${created.serviceName}`,
          startedBy: plan.start.deploymentId,
          tags: created.propagateTags === "SERVICE" ? created.tags : [],
          createdAt: now,
        });
        const events = decidePlaceTask(task.taskArn, a.need, instance);
        instance = events.reduce(instanceAggregate.evolve, instance);
        placed.push(...events);
        appends.push({
          streamId: taskStream(clusterName, taskId),
          events: [newEvent("TaskCreated", task)],
          expectedVersion: "noStream",
        });
        started.push(task.taskArn);
      }
      if (placed.length === 0) continue;
      appends.push({
        streamId,
        events: placed.map((e) => newEvent(e.type, e.data)),
        expectedVersion: version,
      });
      if (instance.ec2InstanceId) notify.add(instance.ec2InstanceId);
    }
    if (started.length > 0) {
      serviceEvents.push({
        type: "ServiceTasksStarted",
        data: {
          clusterName,
          serviceArn,
          deploymentId: plan.start.deploymentId,
          taskArns: started,
          at,
        },
      });
    }
  }

  await appendTargetChanges(ctx, plan, a, dc, appends, serviceEvents, stopped);

  serviceEvents.push(...plan.events);
  if (serviceEvents.length === 0 && appends.length === 0) return { started, stopped };
  // A step of target registrations alone has no service event; the target
  // groups' own versions serialise it.
  if (serviceEvents.length > 0) {
    appends.push({
      streamId: serviceStream(clusterName, created.serviceName),
      events: serviceEvents.map((e) => newEvent(e.type, e.data)),
      expectedVersion: a.version,
    });
  }
  const metadata: EventMetadata = {
    actor: "flotilla-service-scheduler",
    correlationId: `service-step:${serviceArn}@${a.version}`,
  };
  await ctx.store.appendMany(appends, metadata);
  for (const agent of notify) ctx.notifyAgent?.(agent, "service step");
  return { started, stopped };
};
