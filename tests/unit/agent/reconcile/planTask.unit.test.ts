import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ManifestTask } from "../../../../shared/agent/protocol.js";
import type { ContainerState } from "../../../../services/agent/runtime/containerRuntime.js";
import { planTask, type TaskPlan } from "../../../../services/agent/tasks/planTask.js";
import {
  evolve,
  freshMemory,
  type TaskMemory,
} from "../../../../services/agent/tasks/taskMemory.js";
import { statusRank } from "../../../../services/agent/tasks/taskStatusOrder.js";
import type { TaskAction } from "../../../../services/agent/tasks/taskAction.js";
import { container, exited, manifestTask, observed, SETTINGS } from "./fixtures.js";

const NOW = 1_700_000_100_000;

/** given a task, its containers and the agent's memory; when the agent plans */
const plan = (
  task: ManifestTask,
  containers: ContainerState[] = [],
  memory: TaskMemory = freshMemory(task.taskArn),
): TaskPlan => planTask({ task, observed: containers, memory, now: NOW, settings: SETTINGS });

const kinds = (actions: readonly TaskAction[]) => actions.map((a) => a.kind);
const started = (actions: readonly TaskAction[]) =>
  actions.flatMap((a) => (a.kind === "startContainer" ? [a.container] : []));
const stopped = (actions: readonly TaskAction[]) =>
  actions.flatMap((a) => (a.kind === "stopContainer" ? [a.container] : []));
const pulled = (task: ManifestTask): TaskMemory => ({
  ...freshMemory(task.taskArn),
  imagesPulled: true,
});

describe("planTask: starting", () => {
  it("pulls the images first and reports PENDING", () => {
    const task = manifestTask([container("web"), container("side", { image: "other:1" })]);
    const p = plan(task);
    expect(p.actions).toEqual([
      {
        kind: "pullImages",
        images: [
          { container: "web", image: task.taskDefinition.containerDefinitions[0]?.image },
          { container: "side", image: "other:1" },
        ],
      },
    ]);
    expect(p.report?.lastStatus).toBe("PENDING");
    expect(p.report?.containers.map((c) => c.lastStatus)).toEqual(["PENDING", "PENDING"]);
    expect(p.memory.pullStartedAt).toBe(NOW / 1000);
  });

  it("creates the network of an awsvpc task before anything else, without reporting PROVISIONING", () => {
    const task = manifestTask([container("web")], { definition: { networkMode: "awsvpc" } });
    const p = plan(task);
    expect(kinds(p.actions)).toEqual(["createNetwork"]);
    expect(p.report).toBeUndefined();
  });

  it("then creates and starts every container without dependencies", () => {
    const task = manifestTask([container("a"), container("b")]);
    const p = plan(task, [], pulled(task));
    expect(started(p.actions)).toEqual(["a", "b"]);
    expect(p.actions.every((a) => a.kind === "startContainer" && a.spec !== undefined)).toBe(true);
  });

  it("waits for each dependsOn condition", () => {
    const task = manifestTask([
      container("app", {
        dependsOn: [
          { containerName: "db", condition: "START" },
          { containerName: "init", condition: "COMPLETE" },
          { containerName: "check", condition: "SUCCESS" },
          { containerName: "cache", condition: "HEALTHY" },
        ],
      }),
      container("db"),
      container("init", { essential: false }),
      container("check", { essential: false }),
      container("cache", { healthCheck: { command: ["CMD-SHELL", "true"] } }),
    ]);
    const memory = pulled(task);
    const waiting = plan(
      task,
      [
        observed(task, "db"),
        observed(task, "init"),
        exited(task, "check", 0),
        observed(task, "cache", { health: "starting" }),
      ],
      memory,
    );
    expect(started(waiting.actions)).toEqual([]);
    expect(waiting.report?.lastStatus).toBe("PENDING");

    const ready = plan(
      task,
      [
        observed(task, "db"),
        exited(task, "init", 5),
        exited(task, "check", 0),
        observed(task, "cache", { health: "healthy" }),
      ],
      memory,
    );
    expect(started(ready.actions)).toEqual(["app"]);
  });

  it("fails the task when a SUCCESS dependency exits non-zero", () => {
    const task = manifestTask([
      container("app", { dependsOn: [{ containerName: "check", condition: "SUCCESS" }] }),
      container("check", { essential: false }),
    ]);
    const p = plan(task, [exited(task, "check", 2)], pulled(task));
    expect(started(p.actions)).toEqual([]);
    expect(p.report).toMatchObject({ lastStatus: "STOPPED", stopCode: "TaskFailedToStart" });
    expect(p.report?.stoppedReason).toMatch(/SUCCESS of container app on container check/);
  });

  it("starts a container that was created but never started, by id", () => {
    const task = manifestTask([container("web")]);
    const p = plan(task, [observed(task, "web", { status: "created", startedAt: undefined })]);
    expect(p.actions).toEqual([{ kind: "startContainer", container: "web", id: "id-web" }]);
  });

  it("reports RUNNING with bindings and startedAt once every container runs", () => {
    const task = manifestTask([container("web")], { lastStatus: "PENDING" });
    const p = plan(task, [
      observed(task, "web", {
        ports: [{ containerPort: 80, hostPort: 32768, protocol: "tcp", hostIp: "127.0.0.1" }],
      }),
    ]);
    expect(p.actions).toEqual([]);
    expect(p.report).toMatchObject({
      lastStatus: "RUNNING",
      healthStatus: "UNKNOWN",
      startedAt: 1_700_000_001,
      containers: [
        {
          name: "web",
          lastStatus: "RUNNING",
          runtimeId: "id-web",
          networkBindings: [
            { bindIP: "127.0.0.1", containerPort: 80, hostPort: 32768, protocol: "tcp" },
          ],
        },
      ],
    });
  });

  it("reports nothing new when nothing changed", () => {
    const task = manifestTask([container("web")], { lastStatus: "PENDING" });
    const first = plan(task, [observed(task, "web")]);
    const second = plan(task, [observed(task, "web")], first.memory);
    expect(first.report).toBeDefined();
    expect(second.report).toBeUndefined();
  });

  it("refuses host access before pulling anything: nothing is created, the task stops", () => {
    const task = manifestTask([container("web"), container("side", { privileged: true })]);
    const p = plan(task);
    expect(p.actions).toEqual([]);
    expect(p.report).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason:
        "CannotCreateContainerError: container side (containerDefinitions[1].privileged): privileged containers are not allowed on this instance (FLOTILLA_AGENT_ALLOW_PRIVILEGED)",
    });
    const allowed = planTask({
      task,
      observed: [],
      memory: freshMemory(task.taskArn),
      now: NOW,
      settings: { ...SETTINGS, allowPrivileged: true },
    });
    expect(kinds(allowed.actions)).toEqual(["pullImages"]);
  });

  it("turns a refused privileged container into TaskFailedToStart with a clear reason", () => {
    const task = manifestTask([container("web", { privileged: true })]);
    const p = plan(task, [], pulled(task));
    expect(p.report).toMatchObject({ lastStatus: "STOPPED", stopCode: "TaskFailedToStart" });
    expect(p.report?.containers[0]?.reason).toMatch(/^CannotCreateContainerError: .*privileged/);
  });
});

describe("planTask: failures folded in by evolve", () => {
  it("a failed pull stops the task with CannotPullContainerError", () => {
    const task = manifestTask([container("web")]);
    const memory = evolve(plan(task).memory, {
      kind: "imagePullFailed",
      container: "web",
      message: "pull nowhere: denied",
      at: 1,
    });
    const p = plan(task, [], memory);
    expect(p.report).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "TaskFailedToStart",
      stoppedReason: "CannotPullContainerError: pull nowhere: denied",
      containers: [
        {
          name: "web",
          lastStatus: "STOPPED",
          reason: "CannotPullContainerError: pull nowhere: denied",
        },
      ],
    });
  });

  it.each([
    ["create", "CannotCreateContainerError"],
    ["start", "CannotStartContainerError"],
  ] as const)("a %s failure stops the other containers and fails the task", (phase, error) => {
    const task = manifestTask([container("a"), container("b")]);
    const memory = evolve(pulled(task), {
      kind: "containerFailed",
      container: "b",
      phase,
      message: "boom",
    });
    const p = plan(task, [observed(task, "a")], memory);
    expect(stopped(p.actions)).toEqual(["a"]);
    expect(p.report).toMatchObject({ lastStatus: "STOPPING", stopCode: "TaskFailedToStart" });
    expect(p.report?.containers[1]?.reason).toBe(`${error}: boom`);
  });
});

describe("planTask: running and exits", () => {
  it("an essential exit stops the others in reverse dependency order", () => {
    const task = manifestTask([
      container("job"),
      container("proxy", {
        essential: false,
        dependsOn: [{ containerName: "app", condition: "START" }],
      }),
      container("app", { essential: false }),
    ]);
    const p = plan(task, [exited(task, "job", 1), observed(task, "proxy"), observed(task, "app")]);
    expect(stopped(p.actions)).toEqual(["proxy"]);
    expect(p.report).toMatchObject({
      lastStatus: "STOPPING",
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
    });
    const next = plan(
      task,
      [exited(task, "job", 1), exited(task, "proxy", 143), observed(task, "app")],
      p.memory,
    );
    expect(stopped(next.actions)).toEqual(["app"]);
  });

  it("a non-essential exit keeps the task RUNNING", () => {
    const task = manifestTask([container("web"), container("once", { essential: false })], {
      lastStatus: "RUNNING",
    });
    const p = plan(task, [observed(task, "web"), exited(task, "once", 0)]);
    expect(p.actions).toEqual([]);
    expect(p.report?.lastStatus).toBe("RUNNING");
    expect(p.report?.containers[1]).toMatchObject({ lastStatus: "STOPPED", exitCode: 0 });
  });

  it("restarts a restartPolicy container that ran long enough, in place", () => {
    const task = manifestTask([
      container("w", { restartPolicy: { enabled: true, restartAttemptPeriod: 1 } }),
    ]);
    const p = plan(task, [exited(task, "w", 1)]);
    expect(p.actions).toEqual([
      { kind: "restartContainer", container: "w", id: "id-w", timeoutSeconds: 30 },
    ]);
    expect(p.memory.ending).toBeUndefined();
  });

  it("counts an exit before restartAttemptPeriod as an exit", () => {
    const task = manifestTask([
      container("w", { restartPolicy: { enabled: true, restartAttemptPeriod: 60 } }),
    ]);
    const p = plan(task, [exited(task, "w", 1)]);
    expect(p.report?.stopCode).toBe("EssentialContainerExited");
  });

  it("reports an OOM kill", () => {
    const task = manifestTask([container("hog")]);
    const p = plan(task, [exited(task, "hog", 137, { oomKilled: true })]);
    expect(p.report?.containers[0]).toMatchObject({
      exitCode: 137,
      reason: "OutOfMemoryError: Container killed due to memory usage",
    });
  });

  it("derives the task health from essential containers with health checks", () => {
    const hc = { healthCheck: { command: ["CMD-SHELL", "true"] } };
    const task = manifestTask(
      [container("a", hc), container("b", hc), container("c", { ...hc, essential: false })],
      {
        lastStatus: "RUNNING",
      },
    );
    const health = (a: string, b: string, c: string) =>
      plan(task, [
        observed(task, "a", { health: a as "healthy" }),
        observed(task, "b", { health: b as "healthy" }),
        observed(task, "c", { health: c as "healthy" }),
      ]).report?.healthStatus;
    expect(health("healthy", "healthy", "unhealthy")).toBe("HEALTHY");
    expect(health("healthy", "unhealthy", "healthy")).toBe("UNHEALTHY");
    expect(health("healthy", "starting", "healthy")).toBe("UNKNOWN");
  });
});

describe("planTask: stopping", () => {
  it("desiredStatus STOPPED stops in reverse dependency order with stopTimeout, then reports STOPPED", () => {
    const task = manifestTask(
      [
        container("app", {
          stopTimeout: 5,
          dependsOn: [{ containerName: "db", condition: "START" }],
        }),
        container("db"),
      ],
      {
        lastStatus: "RUNNING",
        desiredStatus: "STOPPED",
        stopCode: "UserInitiated",
        stoppedReason: "bye",
      },
    );
    const first = plan(task, [observed(task, "app"), observed(task, "db")]);
    expect(first.actions).toEqual([
      { kind: "stopContainer", container: "app", id: "id-app", timeoutSeconds: 5 },
    ]);
    expect(first.report).toMatchObject({
      lastStatus: "STOPPING",
      stopCode: "UserInitiated",
      stoppedReason: "bye",
    });
    const second = plan(task, [exited(task, "app", 143), observed(task, "db")], first.memory);
    expect(stopped(second.actions)).toEqual(["db"]);
    // A container change inside STOPPING is news too.
    expect(second.report).toMatchObject({
      lastStatus: "STOPPING",
      containers: [
        { name: "app", lastStatus: "STOPPED" },
        { name: "db", lastStatus: "RUNNING" },
      ],
    });
    const third = plan(task, [exited(task, "app", 143), exited(task, "db", 0)], second.memory);
    expect(third.report).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "UserInitiated",
      containers: [
        { name: "app", lastStatus: "STOPPED", exitCode: 143 },
        { name: "db", lastStatus: "STOPPED", exitCode: 0 },
      ],
    });
    expect(third.report?.stoppedAt).toBe(NOW / 1000);
    expect(third.report?.executionStoppedAt).toBe(NOW / 1000);
  });

  it("keeps the agent's own stop reason when the scheduler's stop request comes later", () => {
    const task = manifestTask([container("job"), container("side", { essential: false })]);
    const first = plan(task, [exited(task, "job", 1), observed(task, "side")]);
    const stopRequested = {
      ...task,
      desiredStatus: "STOPPED" as const,
      stopCode: "UserInitiated" as const,
    };
    const later = plan(
      stopRequested,
      [exited(task, "job", 1), exited(task, "side", 143)],
      first.memory,
    );
    expect(later.report?.stopCode).toBe("EssentialContainerExited");
  });

  it("once STOPPED only removes containers after the cleanup delay", () => {
    const task = manifestTask([container("web")]);
    const memory = { ...freshMemory(task.taskArn), reportedStatus: "STOPPED" as const };
    const finishedAt = new Date(NOW - SETTINGS.cleanupDelayMs + 1);
    expect(plan(task, [exited(task, "web", 0, { finishedAt })], memory).actions).toEqual([]);
    const old = new Date(NOW - SETTINGS.cleanupDelayMs);
    expect(plan(task, [exited(task, "web", 0, { finishedAt: old })], memory).actions).toEqual([
      { kind: "removeContainer", id: "id-web" },
    ]);
  });
});

// ---- properties ---------------------------------------------------------------------------

type Phase = "absent" | "created" | "running" | "exited0" | "exited1" | "unhealthy" | "healthy";
const PHASES: Phase[] = [
  "absent",
  "created",
  "running",
  "exited0",
  "exited1",
  "unhealthy",
  "healthy",
];
const CONDITIONS = ["START", "COMPLETE", "SUCCESS", "HEALTHY"] as const;

/** A random task of up to 5 containers whose dependsOn only points at earlier ones (a DAG). */
const arbScenario = fc
  .integer({ min: 1, max: 5 })
  .chain((n) =>
    fc.record({
      containers: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            essential: fc.boolean(),
            deps: fc.subarray(Array.from({ length: i }, (_, j) => j)),
            condition: fc.constantFrom(...CONDITIONS),
            phase: fc.constantFrom(...PHASES),
          }),
        ),
      ),
      desired: fc.constantFrom("RUNNING" as const, "STOPPED" as const),
      lastStatus: fc.constantFrom("PROVISIONING" as const, "PENDING" as const, "RUNNING" as const),
      imagesPulled: fc.boolean(),
      reported: fc.option(
        fc.constantFrom("PENDING" as const, "RUNNING" as const, "STOPPING" as const),
      ),
    }),
  )
  .map((s) => {
    const defs = s.containers.map((c, i) =>
      container(`c${i}`, {
        essential: c.essential,
        dependsOn: c.deps.map((j) => ({ containerName: `c${j}`, condition: c.condition })),
        ...(c.condition === "HEALTHY" ? { healthCheck: { command: ["CMD-SHELL", "true"] } } : {}),
      }),
    );
    const task = manifestTask(defs, {
      desiredStatus: s.desired,
      lastStatus: s.lastStatus,
      ...(s.desired === "STOPPED" ? { stopCode: "UserInitiated" as const } : {}),
    });
    const states = s.containers.flatMap((c, i): ContainerState[] => {
      const name = `c${i}`;
      switch (c.phase) {
        case "absent":
          return [];
        case "created":
          return [observed(task, name, { status: "created", startedAt: undefined })];
        case "running":
          return [observed(task, name)];
        case "healthy":
        case "unhealthy":
          return [observed(task, name, { health: c.phase })];
        case "exited0":
          return [exited(task, name, 0)];
        case "exited1":
          return [exited(task, name, 1)];
      }
    });
    const memory: TaskMemory = {
      ...freshMemory(task.taskArn),
      imagesPulled: s.imagesPulled,
      ...(s.reported ? { reportedStatus: s.reported } : {}),
    };
    return { task, states, memory };
  });

const phaseOf = (states: ContainerState[], name: string) =>
  states.find((s) => s.labels["com.flotilla.container-name"] === name);

describe("planTask properties", () => {
  it("never starts a container before its dependencies are met", () => {
    fc.assert(
      fc.property(arbScenario, ({ task, states, memory }) => {
        const p = plan(task, states, memory);
        for (const name of started(p.actions)) {
          const def = task.taskDefinition.containerDefinitions.find((c) => c.name === name);
          for (const d of def?.dependsOn ?? []) {
            const s = phaseOf(states, d.containerName);
            expect(s).toBeDefined();
            if (d.condition === "START") expect(s?.startedAt).toBeDefined();
            if (d.condition === "COMPLETE") expect(s?.status).toBe("exited");
            if (d.condition === "SUCCESS") expect([s?.status, s?.exitCode]).toEqual(["exited", 0]);
            if (d.condition === "HEALTHY") expect(s?.health).toBe("healthy");
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never stops a container while one that depends on it still runs", () => {
    fc.assert(
      fc.property(arbScenario, ({ task, states, memory }) => {
        const p = plan(task, states, memory);
        for (const name of stopped(p.actions)) {
          const dependents = task.taskDefinition.containerDefinitions.filter((c) =>
            (c.dependsOn ?? []).some((d) => d.containerName === name),
          );
          for (const d of dependents) expect(phaseOf(states, d.name)?.status).not.toBe("running");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never starts and stops in one plan, nor starts anything for a task that must stop", () => {
    fc.assert(
      fc.property(arbScenario, ({ task, states, memory }) => {
        const p = plan(task, states, memory);
        if (stopped(p.actions).length > 0) expect(started(p.actions)).toEqual([]);
        if (task.desiredStatus === "STOPPED") {
          expect(
            kinds(p.actions).filter(
              (k) => k === "startContainer" || k === "restartContainer" || k === "pullImages",
            ),
          ).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never reports a status behind what the scheduler or the agent already knows", () => {
    fc.assert(
      fc.property(arbScenario, ({ task, states, memory }) => {
        const p = plan(task, states, memory);
        if (!p.report) return;
        expect(statusRank(p.report.lastStatus)).toBeGreaterThanOrEqual(statusRank(task.lastStatus));
        if (memory.reportedStatus) {
          expect(statusRank(p.report.lastStatus)).toBeGreaterThanOrEqual(
            statusRank(memory.reportedStatus),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a STOPPED report has every container STOPPED and a stop code", () => {
    fc.assert(
      fc.property(arbScenario, ({ task, states, memory }) => {
        const p = plan(task, states, memory);
        if (p.report?.lastStatus !== "STOPPED") return;
        expect(p.report.stopCode).toBeDefined();
        expect(p.report.containers.every((c) => c.lastStatus === "STOPPED")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
