import type { ManifestTask, TaskStateReportMessage } from "../../../shared/agent/protocol.js";
import type { ContainerDefinition } from "../../../shared/domain/taskDefinition/index.js";
import type { ContainerStateReport, TaskStatus } from "../../../shared/events/index.js";
import type { ContainerState } from "../runtime/containerRuntime.js";
import {
  containerPortsOf,
  containerSpecFor,
  pauseSpecFor,
  type SpecSettings,
  type TaskPlacement,
} from "./containerSpecFor.js";
import { dependenciesOf, dependentsOf, type Dependency } from "./dependencies.js";
import { effectiveContainer } from "./effectiveContainer.js";
import { hostAccessRefusal } from "./hostAccessPolicy.js";
import { LABEL, PAUSE_ROLE, taskCgroupName, taskNetworkName } from "./labels.js";
import { ABSENT, hasStarted, observe, observedByName, type Observed } from "./observedContainer.js";
import { shouldRestart } from "./restartPolicy.js";
import type { TaskAction } from "./taskAction.js";
import { containerHealth, taskHealth } from "./taskHealth.js";
import type { NetworkBindingValue, TaskEnding, TaskMemory } from "./taskMemory.js";
import { statusRank } from "./taskStatusOrder.js";
import { eniAttachment } from "./taskAttachment.js";
import { taskLimitsOf, type TaskLimits } from "./taskLimits.js";

export interface PlanSettings extends SpecSettings {
  /** Stopped containers of a stopped task are removed this long after they exited. */
  readonly cleanupDelayMs: number;
  /** The region, for the private DNS names of awsvpc tasks' addresses; us-east-1 by default. */
  readonly region?: string;
}

export interface PlanInput {
  readonly task: ManifestTask;
  /** The task's containers as the runtime shows them now. */
  readonly observed: readonly ContainerState[];
  readonly memory: TaskMemory;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly settings: PlanSettings;
  /**
   * Processes the OOM killer killed in the task's cgroup (task-level memory), when the
   * caller read it: a container that exited 137 in a task whose cgroup saw an OOM kill was
   * killed for the task's memory, even where Docker's OOMKilled flag is not set.
   */
  readonly cgroupOomKills?: number;
}

export interface TaskPlan {
  /** Steps to take now, side by side; none means the task is where it should be for now. */
  readonly actions: readonly TaskAction[];
  readonly memory: TaskMemory;
  /** The state change to report, when there is one. */
  readonly report?: TaskStateReportMessage;
  /** The status the task is in now. */
  readonly status: TaskStatus;
}

export const OOM_REASON = "OutOfMemoryError: Container killed due to memory usage";
export const ESSENTIAL_EXIT_REASON = "Essential container in task exited";

const seconds = (ms: number): number => ms / 1000;

interface View {
  readonly task: ManifestTask;
  readonly containers: readonly ContainerDefinition[];
  readonly observed: ReadonlyMap<string, Observed>;
  /** awsvpc: the pause container holding the task's network namespace. */
  readonly pause: Observed;
  readonly awsvpc: boolean;
  readonly limits: TaskLimits | undefined;
  readonly oomKills: number;
  readonly now: number;
  readonly settings: PlanSettings;
}

/** The containers of the task that hold no container definition's name: its pause container. */
const pauseOf = (states: readonly ContainerState[]): Observed => {
  const pauses = states.filter((s) => s.labels[LABEL.role] === PAUSE_ROLE);
  const running = pauses.find((s) => s.status === "running");
  const newest = [...pauses].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  return observe(running ?? newest);
};

/** Where the task's containers run: its cgroup, when the runtime made one. */
const placementOf = (memory: TaskMemory): TaskPlacement =>
  memory.cgroup?.parent !== undefined ? { cgroupParent: memory.cgroup.parent } : {};

const observedOf = (view: View, name: string): Observed => view.observed.get(name) ?? ABSENT;

const restartable = (view: View, memory: TaskMemory, c: ContainerDefinition): boolean => {
  const o = observedOf(view, c.name);
  return (
    o.phase === "exited" &&
    memory.containers[c.name]?.restartFailed !== true &&
    shouldRestart(c, o.state, view.now)
  );
};

/** Can this dependency still be met, is it met now? */
const dependencyState = (view: View, d: Dependency): "met" | "waiting" | "never" => {
  const o = observedOf(view, d.container);
  switch (d.condition) {
    case "START":
      return hasStarted(o) ? "met" : o.phase === "failedStart" ? "never" : "waiting";
    case "COMPLETE":
      return o.phase === "exited" ? "met" : o.phase === "failedStart" ? "never" : "waiting";
    case "SUCCESS":
      if (o.phase === "exited") return o.state.exitCode === 0 ? "met" : "never";
      return o.phase === "failedStart" ? "never" : "waiting";
    case "HEALTHY":
      if (o.phase === "running") {
        if (o.state.health === "healthy") return "met";
        return o.state.health === "unhealthy" ? "never" : "waiting";
      }
      return o.phase === "exited" || o.phase === "failedStart" ? "never" : "waiting";
  }
};

/** Why the task must end, judged from what is observed (when memory has no reason yet). */
const observedEnding = (view: View, memory: TaskMemory): TaskEnding | undefined => {
  const { task } = view;
  if (task.desiredStatus === "STOPPED") {
    return {
      stopCode: task.stopCode ?? "UserInitiated",
      stoppedReason: task.stoppedReason ?? "Task stopped by request",
    };
  }
  for (const c of view.containers) {
    const o = observedOf(view, c.name);
    if (o.phase === "failedStart") {
      return {
        stopCode: "TaskFailedToStart",
        stoppedReason: `CannotStartContainerError: ${o.state.error ?? "the container failed to start"}`,
      };
    }
  }
  const essentialExited = view.containers.some(
    (c) =>
      c.essential && observedOf(view, c.name).phase === "exited" && !restartable(view, memory, c),
  );
  if (essentialExited) {
    return { stopCode: "EssentialContainerExited", stoppedReason: ESSENTIAL_EXIT_REASON };
  }
  if (view.awsvpc && (view.pause.phase === "exited" || view.pause.phase === "failedStart")) {
    const anyStarted = view.containers.some((c) => hasStarted(observedOf(view, c.name)));
    const why =
      view.pause.phase === "failedStart"
        ? (view.pause.state.error ?? "the pause container failed to start")
        : "the pause container exited";
    return anyStarted
      ? {
          stopCode: "EssentialContainerExited",
          stoppedReason: `The task's network namespace is gone: ${why}`,
        }
      : {
          stopCode: "TaskFailedToStart",
          stoppedReason: `ResourceInitializationError: unable to set up the task's network namespace: ${why}`,
        };
  }
  for (const c of view.containers) {
    if (
      observedOf(view, c.name).phase !== "absent" &&
      observedOf(view, c.name).phase !== "created"
    ) {
      continue;
    }
    const blocked = dependenciesOf(c, view.containers).find(
      (d) => dependencyState(view, d) === "never",
    );
    if (blocked) {
      return {
        stopCode: "TaskFailedToStart",
        stoppedReason: `Dependency condition ${blocked.condition} of container ${c.name} on container ${blocked.container} can no longer be met`,
      };
    }
  }
  // Adopted after a restart: the scheduler saw the task run, yet none of its containers is left.
  const knownToHaveRun = statusRank(task.lastStatus) >= statusRank("RUNNING");
  if (memory.reportedStatus === undefined && knownToHaveRun && view.observed.size === 0) {
    return {
      stopCode: "EssentialContainerExited",
      stoppedReason: "The task's containers are gone from the host",
    };
  }
  return undefined;
};

const bindingsOf = (
  view: View,
  c: ContainerDefinition,
  o: Observed,
): NetworkBindingValue[] | undefined => {
  if (o.phase !== "running") return undefined;
  if (view.awsvpc) {
    // The pause container publishes the task's ports: this container's are those of its mappings.
    if (view.pause.phase !== "running") return undefined;
    const own = new Set(c.portMappings.flatMap((m) => containerPortsOf(m)));
    return view.pause.state.ports
      .filter((p) => own.has(p.containerPort))
      .map((p) => ({
        bindIP: p.hostIp,
        containerPort: p.containerPort,
        hostPort: p.hostPort,
        protocol: p.protocol,
      }));
  }
  if (o.state.ports.length > 0) {
    return o.state.ports.map((p) => ({
      bindIP: p.hostIp,
      containerPort: p.containerPort,
      hostPort: p.hostPort,
      protocol: p.protocol,
    }));
  }
  if (view.task.taskDefinition.networkMode === "host") {
    return c.portMappings
      .filter((m) => m.containerPort !== undefined)
      .map((m) => ({
        bindIP: "0.0.0.0",
        containerPort: m.containerPort ?? 0,
        hostPort: m.hostPort ?? m.containerPort ?? 0,
        protocol: m.protocol,
      }));
  }
  return undefined;
};

const containerReport = (
  view: View,
  memory: TaskMemory,
  c: ContainerDefinition,
  status: TaskStatus,
): ContainerStateReport => {
  const o = observedOf(view, c.name);
  const remembered = memory.containers[c.name];
  const lastStatus =
    o.phase === "running"
      ? "RUNNING"
      : o.phase === "exited" || o.phase === "failedStart" || status === "STOPPED"
        ? "STOPPED"
        : "PENDING";
  const state = o.phase === "absent" ? undefined : o.state;
  const reason =
    remembered?.reason ??
    (o.phase === "exited" && o.state.oomKilled ? OOM_REASON : undefined) ??
    (o.phase === "failedStart"
      ? `CannotStartContainerError: ${o.state.error ?? "the container failed to start"}`
      : undefined);
  const bindings = bindingsOf(view, c, o) ?? remembered?.bindings;
  return {
    name: c.name,
    lastStatus,
    ...(state ? { runtimeId: state.id } : {}),
    ...(o.phase === "exited" && o.state.exitCode !== undefined
      ? { exitCode: o.state.exitCode }
      : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(bindings && bindings.length > 0 ? { networkBindings: [...bindings] } : {}),
    ...(c.healthCheck !== undefined ? { healthStatus: containerHealth(o) } : {}),
  };
};

/**
 * The task's cgroup after a restart (memory lost): the one its containers were created
 * under, from their label, so it is read for OOM kills and removed with the task.
 */
const rememberCgroup = (view: View, states: readonly ContainerState[], memory: TaskMemory) => {
  if (memory.cgroup !== undefined || view.limits === undefined) return memory;
  const parent = states.find((s) => s.labels[LABEL.cgroupParent] !== undefined)?.labels[
    LABEL.cgroupParent
  ];
  return parent === undefined ? memory : { ...memory, cgroup: { parent } };
};

/** awsvpc: the task's address, once its pause container has one (kept after it stops). */
const rememberAddress = (view: View, memory: TaskMemory): TaskMemory => {
  if (!view.awsvpc || view.pause.phase !== "running") return memory;
  const ip = view.pause.state.ipAddress;
  if (ip === undefined) return memory;
  const address = {
    privateIPv4Address: ip,
    ...(view.pause.state.macAddress !== undefined
      ? { macAddress: view.pause.state.macAddress }
      : {}),
  };
  if (JSON.stringify(address) === JSON.stringify(memory.address)) return memory;
  return { ...memory, address };
};

/**
 * A container that exited 137 (SIGKILL) while the task ran, in a task whose cgroup saw an
 * OOM kill: the task's memory limit killed it (the kernel acted on the task's cgroup, so
 * Docker's own OOMKilled flag may be unset). Remembered: the cgroup goes with the task.
 */
const rememberOom = (view: View, memory: TaskMemory): TaskMemory => {
  if (view.oomKills === 0 || memory.ending !== undefined) return memory;
  let next = memory;
  for (const c of view.containers) {
    const o = observedOf(view, c.name);
    if (o.phase !== "exited" || o.state.exitCode !== 137 || o.state.oomKilled) continue;
    if (next.containers[c.name]?.reason !== undefined) continue;
    next = {
      ...next,
      containers: {
        ...next.containers,
        [c.name]: { ...next.containers[c.name], reason: OOM_REASON },
      },
    };
  }
  return next;
};

const rememberBindings = (view: View, memory: TaskMemory): TaskMemory => {
  let next = memory;
  for (const c of view.containers) {
    const bindings = bindingsOf(view, c, observedOf(view, c.name));
    if (!bindings || bindings.length === 0) continue;
    if (JSON.stringify(bindings) === JSON.stringify(next.containers[c.name]?.bindings)) continue;
    next = {
      ...next,
      containers: { ...next.containers, [c.name]: { ...next.containers[c.name], bindings } },
    };
  }
  return next;
};

/** The report for `status`, if it is news: later than what is known, or the same with changes. */
const withReport = (
  view: View,
  memory: TaskMemory,
  status: TaskStatus,
  actions: readonly TaskAction[],
): TaskPlan => {
  const containers = view.containers.map((c) => containerReport(view, memory, c, status));
  const healthStatus = taskHealth(view.containers, view.observed);
  const attachments = view.awsvpc
    ? [
        eniAttachment(
          view.task.taskArn,
          status,
          memory.address,
          view.settings.region ?? "us-east-1",
        ),
      ]
    : undefined;
  const key = JSON.stringify({ status, healthStatus, containers, attachments });
  const floor = Math.max(
    statusRank(view.task.lastStatus),
    memory.reportedStatus === undefined ? -1 : statusRank(memory.reportedStatus),
  );
  const news =
    status !== "PROVISIONING" && statusRank(status) >= floor && key !== memory.reportedKey;
  if (!news) return { actions, memory, status };
  const ending = statusRank(status) >= statusRank("STOPPING") ? memory.ending : undefined;
  const report: TaskStateReportMessage = {
    taskArn: view.task.taskArn,
    lastStatus: status,
    healthStatus,
    containers,
    ...(memory.pullStartedAt !== undefined ? { pullStartedAt: memory.pullStartedAt } : {}),
    ...(memory.pullStoppedAt !== undefined ? { pullStoppedAt: memory.pullStoppedAt } : {}),
    ...(memory.startedAt !== undefined ? { startedAt: memory.startedAt } : {}),
    ...(memory.stoppingAt !== undefined ? { stoppingAt: memory.stoppingAt } : {}),
    ...(memory.executionStoppedAt !== undefined
      ? { executionStoppedAt: memory.executionStoppedAt }
      : {}),
    ...(memory.stoppedAt !== undefined ? { stoppedAt: memory.stoppedAt } : {}),
    ...(ending ? { stopCode: ending.stopCode, stoppedReason: ending.stoppedReason } : {}),
    ...(attachments ? { attachments } : {}),
    at: seconds(view.now),
  };
  return {
    actions,
    memory: { ...memory, reportedStatus: status, reportedKey: key },
    report,
    status,
  };
};

/** A stopped task: remove its containers once the cleanup delay has passed. */
const planCleanup = (view: View, memory: TaskMemory): TaskPlan => {
  const actions: TaskAction[] = [];
  for (const o of [...view.observed.values(), view.pause]) {
    if (o.phase === "absent" || o.phase === "running") continue;
    const since = (o.state.finishedAt ?? o.state.createdAt).getTime();
    if (view.now - since >= view.settings.cleanupDelayMs) {
      actions.push({ kind: "removeContainer", id: o.state.id });
    }
  }
  return { actions, memory, status: "STOPPED" };
};

const planStopping = (view: View, memory: TaskMemory): TaskPlan => {
  const nowS = seconds(view.now);
  const running = view.containers.filter((c) => observedOf(view, c.name).phase === "running");
  if (running.length > 0) {
    const actions: TaskAction[] = [];
    for (const c of running) {
      // Reverse dependency order: a container stops once everything that depends on it has.
      const dependentsRunning = dependentsOf(c.name, view.containers).some(
        (d) => observedOf(view, d).phase === "running",
      );
      const o = observedOf(view, c.name);
      if (dependentsRunning || o.phase !== "running") continue;
      actions.push({
        kind: "stopContainer",
        container: c.name,
        id: o.state.id,
        timeoutSeconds: c.stopTimeout ?? view.settings.defaultStopTimeoutSeconds,
      });
    }
    const next = { ...memory, stoppingAt: memory.stoppingAt ?? nowS };
    return withReport(view, next, "STOPPING", actions);
  }
  let next: TaskMemory = {
    ...memory,
    executionStoppedAt: memory.executionStoppedAt ?? nowS,
  };
  // The task's own resources go last: its network namespace (pause container), its
  // network, its cgroup. ECS reports DEPROVISIONING while an awsvpc task's ENI goes.
  const removeCgroup: TaskAction[] =
    view.limits !== undefined && !memory.cgroupRemoved && memory.cgroup?.parent !== undefined
      ? [{ kind: "removeCgroup", cgroup: taskCgroupName(view.task.taskArn) }]
      : [];
  if (view.awsvpc && view.pause.phase === "running") {
    next = { ...next, stoppingAt: next.stoppingAt ?? nowS };
    return withReport(view, next, "DEPROVISIONING", [
      { kind: "stopContainer", container: "pause", id: view.pause.state.id, timeoutSeconds: 2 },
    ]);
  }
  if (view.awsvpc && (!memory.networkRemoved || removeCgroup.length > 0)) {
    next = { ...next, stoppingAt: next.stoppingAt ?? nowS };
    return withReport(view, next, "DEPROVISIONING", [
      ...removeCgroup,
      ...(memory.networkRemoved
        ? []
        : [{ kind: "removeNetwork" as const, network: taskNetworkName(view.task.taskArn) }]),
    ]);
  }
  if (removeCgroup.length > 0) {
    next = { ...next, stoppingAt: next.stoppingAt ?? nowS };
    return withReport(view, next, "STOPPING", removeCgroup);
  }
  next = { ...next, stoppingAt: next.stoppingAt ?? nowS, stoppedAt: next.stoppedAt ?? nowS };
  return withReport(view, next, "STOPPED", []);
};

/**
 * A task asking for host access this agent does not allow stops before anything is pulled,
 * networked or created (placement keeps such tasks away; this is the agent's own check).
 * Containers already running (the flags changed under them) are left alone.
 */
const refusedHostAccess = (view: View, memory: TaskMemory): TaskMemory | undefined => {
  const absent = view.containers.filter((c) => observedOf(view, c.name).phase === "absent");
  if (absent.length === 0) return undefined;
  const refusal = hostAccessRefusal(view.task.taskDefinition, view.settings);
  if (refusal === undefined) return undefined;
  const reason = `CannotCreateContainerError: ${refusal}`;
  const containers = { ...memory.containers };
  for (const c of absent) containers[c.name] = { ...containers[c.name], reason };
  return {
    ...memory,
    containers,
    ending: memory.ending ?? { stopCode: "TaskFailedToStart", stoppedReason: reason },
  };
};

const planRunning = (view: View, memory: TaskMemory): TaskPlan => {
  const { task, settings } = view;
  const nowS = seconds(view.now);
  const refused = refusedHostAccess(view, memory);
  if (refused) return planStopping(view, refused);
  let next = memory;
  if (view.awsvpc && !next.networkReady) {
    const anyCreated =
      view.pause.phase !== "absent" ||
      [...view.observed.values()].some((o) => o.phase !== "absent");
    if (!anyCreated) {
      return withReport(view, next, "PROVISIONING", [
        {
          kind: "createNetwork",
          network: taskNetworkName(task.taskArn),
          labels: {
            [LABEL.taskArn]: task.taskArn,
            [LABEL.cluster]: task.clusterName,
            [LABEL.agentId]: settings.agentId,
          },
        },
      ]);
    }
    next = { ...next, networkReady: true };
  }
  const toCreate = view.containers.filter((c) => observedOf(view, c.name).phase === "absent");
  // Task-level limits: the task's cgroup exists before any of its containers is created.
  const pauseToCreate = view.awsvpc && view.pause.phase === "absent";
  if (
    view.limits !== undefined &&
    next.cgroup === undefined &&
    (toCreate.length > 0 || pauseToCreate)
  ) {
    return withReport(view, next, "PROVISIONING", [
      { kind: "prepareCgroup", cgroup: taskCgroupName(task.taskArn), limits: view.limits },
    ]);
  }
  if (view.awsvpc && view.pause.phase !== "running") {
    const pause = view.pause;
    return withReport(view, next, "PROVISIONING", [
      pause.phase === "created"
        ? { kind: "startPause", id: pause.state.id }
        : { kind: "startPause", spec: pauseSpecFor(task, settings, placementOf(next)) },
    ]);
  }
  if (toCreate.length > 0 && !next.imagesPulled) {
    next = { ...next, pullStartedAt: next.pullStartedAt ?? nowS };
    return withReport(view, next, "PENDING", [
      {
        kind: "pullImages",
        images: toCreate.map((c) => ({ container: c.name, image: c.image })),
      },
    ]);
  }
  const actions: TaskAction[] = [];
  for (const c of view.containers) {
    const o = observedOf(view, c.name);
    if (o.phase === "exited") {
      if (restartable(view, next, c)) {
        actions.push({
          kind: "restartContainer",
          container: c.name,
          id: o.state.id,
          timeoutSeconds: c.stopTimeout ?? settings.defaultStopTimeoutSeconds,
        });
      }
      continue;
    }
    if (o.phase !== "absent" && o.phase !== "created") continue;
    const ready = dependenciesOf(c, view.containers).every(
      (d) => dependencyState(view, d) === "met",
    );
    if (!ready) continue;
    if (o.phase === "created") {
      actions.push({ kind: "startContainer", container: c.name, id: o.state.id });
      continue;
    }
    const spec = containerSpecFor(task, c.name, settings, placementOf(next));
    if (!spec.ok) {
      const failed: TaskMemory = {
        ...next,
        containers: {
          ...next.containers,
          [c.name]: { ...next.containers[c.name], reason: spec.reason },
        },
        ending: next.ending ?? { stopCode: "TaskFailedToStart", stoppedReason: spec.reason },
      };
      return planStopping(view, failed);
    }
    actions.push({
      kind: "startContainer",
      container: c.name,
      spec: spec.spec,
      ...((c.secrets ?? []).length > 0 ? { secretsOf: { taskArn: task.taskArn } } : {}),
    });
  }
  const allStarted = view.containers.every((c) => hasStarted(observedOf(view, c.name)));
  if (!allStarted) return withReport(view, next, "PENDING", actions);
  if (next.startedAt === undefined) {
    const starts = [...view.observed.values()].flatMap((o) =>
      o.phase === "running" && o.state.startedAt ? [o.state.startedAt.getTime()] : [],
    );
    next = { ...next, startedAt: starts.length > 0 ? seconds(Math.max(...starts)) : nowS };
  }
  return withReport(view, next, "RUNNING", actions);
};

/**
 * The task decider (PURE): from the desired task, its observed containers and the agent's
 * memory, the steps to take now, the memory after deciding, and the state change to
 * report. Called again after every batch of steps, so each call only has to move the task
 * one step nearer to where it should be (level-triggered, like a kubelet's sync).
 */
export const planTask = (input: PlanInput): TaskPlan => {
  const containers = input.task.taskDefinition.containerDefinitions.map((c) =>
    effectiveContainer(c, input.task.overrides),
  );
  const view: View = {
    task: input.task,
    containers,
    observed: observedByName(input.observed),
    pause: pauseOf(input.observed),
    awsvpc: input.task.taskDefinition.networkMode === "awsvpc",
    limits: taskLimitsOf(input.task),
    oomKills: input.cgroupOomKills ?? 0,
    now: input.now,
    settings: input.settings,
  };
  let memory = rememberOom(
    view,
    rememberAddress(
      view,
      rememberCgroup(view, input.observed, rememberBindings(view, input.memory)),
    ),
  );
  if (memory.reportedStatus === "STOPPED") return planCleanup(view, memory);
  const ending = memory.ending ?? observedEnding(view, memory);
  if (ending) {
    if (memory.ending === undefined) memory = { ...memory, ending };
    return planStopping(view, memory);
  }
  return planRunning(view, memory);
};

/** The labels of the containers a task owns on this agent. */
export const taskSelector = (agentId: string, taskArn: string): Record<string, string> => ({
  [LABEL.agentId]: agentId,
  [LABEL.taskArn]: taskArn,
});
