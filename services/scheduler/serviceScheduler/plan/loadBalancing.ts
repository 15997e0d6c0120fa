import type { ServiceStopReason } from "../../../../shared/events/index.js";
import { isOnLostInstance } from "./taskHealth.js";
import type { PlanInput, ServiceTask, StopOrder, TargetChange } from "./types.js";

/** Slack after a target group's deregistration delay before a task stops regardless. */
const DRAIN_SLACK_SECONDS = 5;

const loadBalancersOf = (input: PlanInput) => input.service.created?.loadBalancers ?? [];

/**
 * With load balancers, a task is healthy only when every target group it
 * belongs to says so (and its own container health check, if any, agrees):
 * the target groups' verdict is folded into the task's health status, and
 * every deployment counts as health-checked.
 */
export const withTargetHealth = (input: PlanInput): PlanInput => {
  const lbs = loadBalancersOf(input).filter((lb) => lb.targetGroupArn !== undefined);
  if (lbs.length === 0) return input;
  const tasks = input.tasks.map((t): ServiceTask => {
    if (input.healthChecked.has(t.deploymentId) && t.healthStatus !== "HEALTHY") return t;
    const states = lbs.map(
      (lb) => (t.targets ?? []).find((x) => x.targetGroupArn === lb.targetGroupArn)?.state,
    );
    const healthStatus = states.includes("unhealthy")
      ? "UNHEALTHY"
      : states.every((s) => s === "healthy")
        ? "HEALTHY"
        : "UNKNOWN";
    return { ...t, healthStatus };
  });
  return {
    ...input,
    tasks,
    healthChecked: new Set(input.service.deployments.map((d) => d.id)),
  };
};

/** Registered and not yet draining in some target group. */
const inRotation = (t: ServiceTask): boolean =>
  (t.targets ?? []).some((x) => x.state !== "draining");

/**
 * Stop orders for tasks still in rotation become drain orders: their targets
 * are deregistered first, and they stop once drained. Tasks on lost
 * instances stop at once (nothing can drain there).
 */
export const splitForDraining = (
  input: PlanInput,
  orders: readonly StopOrder[],
): { stop: StopOrder[]; drain: StopOrder[] } => {
  const byArn = new Map(input.tasks.map((t) => [t.taskArn, t]));
  const stop: StopOrder[] = [];
  const drain: StopOrder[] = [];
  for (const o of orders) {
    const now: string[] = [];
    const later: string[] = [];
    for (const arn of o.taskArns) {
      const t = byArn.get(arn);
      if (t && inRotation(t) && !isOnLostInstance(t, input.instances)) later.push(arn);
      else now.push(arn);
    }
    if (now.length > 0) stop.push({ reason: o.reason, taskArns: now });
    if (later.length > 0) drain.push({ reason: o.reason, taskArns: later });
  }
  return { stop, drain };
};

/**
 * Draining tasks whose targets are gone (drained), or whose longest
 * deregistration delay has passed, stop now, for the reason they began
 * draining with.
 */
export const drainedStops = (input: PlanInput): StopOrder[] => {
  const { service, now } = input;
  const byArn = new Map(input.tasks.map((t) => [t.taskArn, t]));
  const delay = Math.max(
    0,
    ...[...(input.targetGroups?.values() ?? [])].map((g) => g.deregistrationDelaySeconds),
  );
  const byReason = new Map<ServiceStopReason, string[]>();
  for (const [arn, { reason, since }] of service.draining) {
    const t = byArn.get(arn);
    const done =
      t === undefined ||
      t.lastStatus === "STOPPED" ||
      (t.targets ?? []).length === 0 ||
      now - since >= delay + DRAIN_SLACK_SECONDS;
    if (done) byReason.set(reason, [...(byReason.get(reason) ?? []), arn]);
  }
  return [...byReason].map(([reason, taskArns]) => ({ reason, taskArns }));
};

/**
 * Target registrations the service's tasks need: every usable RUNNING task
 * that binds a load balancer's container port gets a target (its instance,
 * its host port) in that target group. And the targets of tasks that are
 * gone (STOPPED, or on a lost instance) but still registered are removed.
 */
export const targetChanges = (
  input: PlanInput,
  usable: readonly ServiceTask[],
): { register: TargetChange[]; deregister: TargetChange[] } => {
  const register: TargetChange[] = [];
  const deregister: TargetChange[] = [];
  for (const lb of loadBalancersOf(input)) {
    const tg = lb.targetGroupArn;
    if (tg === undefined || lb.containerName === undefined || lb.containerPort === undefined) {
      continue;
    }
    const add: { id: string; port: number; task: string }[] = [];
    for (const t of usable) {
      if (t.lastStatus !== "RUNNING" || input.service.draining.has(t.taskArn)) continue;
      const binding = (t.bindings ?? []).find(
        (b) => b.containerName === lb.containerName && b.containerPort === lb.containerPort,
      );
      const id = input.instances.get(t.containerInstanceArn)?.ec2InstanceId;
      if (!binding || id === undefined) continue;
      const known = (t.targets ?? []).some(
        (x) => x.targetGroupArn === tg && x.id === id && x.port === binding.hostPort,
      );
      if (!known) add.push({ id, port: binding.hostPort, task: t.taskArn });
    }
    if (add.length > 0) {
      register.push({
        targetGroupArn: tg,
        targets: add.map(({ id, port }) => ({ id, port })),
        taskArns: add.map((a) => a.task),
      });
    }
    const gone = input.tasks
      .filter((t) => t.lastStatus === "STOPPED" || isOnLostInstance(t, input.instances))
      .flatMap((t) =>
        (t.targets ?? []).filter((x) => x.targetGroupArn === tg && x.state !== "draining"),
      );
    if (gone.length > 0) {
      deregister.push({ targetGroupArn: tg, targets: gone.map(({ id, port }) => ({ id, port })) });
    }
  }
  return { register, deregister };
};
