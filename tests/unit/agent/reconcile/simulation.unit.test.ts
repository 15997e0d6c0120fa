import { describe, expect, it } from "vitest";
import { containerSpecFor } from "../../../../services/agent/tasks/containerSpecFor.js";
import { container, IMAGE, manifestTask, SETTINGS } from "./fixtures.js";
import { Simulation } from "./simulation.js";

const HTTPD = ["httpd", "-f", "-p", "8080"];
const SERVICE = ["sh", "-c", 'trap "exit 0" TERM; while true; do sleep 1; done'];

/** Records the runtime's start/die events by container name, in order. */
const recordEvents = (sim: Simulation) => {
  const events: string[] = [];
  const abort = new AbortController();
  void (async () => {
    for await (const e of sim.runtime.events(abort.signal)) {
      if (e.action === "start" || e.action === "die") {
        events.push(`${e.action}:${e.labels["com.flotilla.container-name"]}`);
      }
    }
  })();
  return { events, stop: () => abort.abort() };
};

describe("the reconcile loop over the hollow runtime (fake clock, fake scheduler)", () => {
  it("refuses host access as the Docker runtime does: nothing created, STOPPED with the flag named", async () => {
    const hostNetwork = () =>
      manifestTask([container("web", { command: SERVICE })], {
        definition: { networkMode: "host" },
      });
    const sim = new Simulation();
    const refused = hostNetwork();
    sim.scheduler.place(refused);
    await sim.pass();
    expect(sim.scheduler.statusesOf(refused.taskArn)).toEqual(["STOPPED"]);
    expect(sim.scheduler.last(refused.taskArn)?.stoppedReason).toMatch(
      /networkMode host: .*\(FLOTILLA_AGENT_ALLOW_HOST_NETWORK\)$/,
    );
    expect(await sim.containers(refused.taskArn)).toEqual([]);

    const allowing = new Simulation({}, { ...SETTINGS, allowHostNetwork: true });
    const allowed = hostNetwork();
    allowing.scheduler.place(allowed);
    await allowing.pass();
    expect(allowing.scheduler.statusesOf(allowed.taskArn)).toEqual(["PENDING", "RUNNING"]);
    allowing.runtime.dispose();
    sim.runtime.dispose();
  });

  it("runs an httpd task to RUNNING with a dynamic binding and stops it with UserInitiated", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("web", {
        command: HTTPD,
        portMappings: [{ containerPort: 8080, hostPort: 0, protocol: "tcp" }],
      }),
    ]);
    sim.scheduler.place(task);

    await sim.pass();

    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual(["PENDING", "RUNNING"]);
    const running = sim.scheduler.last(task.taskArn);
    const web = running?.containers[0];
    expect(web?.lastStatus).toBe("RUNNING");
    expect(web?.networkBindings).toHaveLength(1);
    expect(web?.networkBindings?.[0]).toMatchObject({
      bindIP: "127.0.0.1",
      containerPort: 8080,
      protocol: "tcp",
    });
    expect(web?.networkBindings?.[0]?.hostPort).toBeGreaterThan(0);
    expect(running?.startedAt).toBeTypeOf("number");

    sim.scheduler.stop(task.taskArn, "Task stopped by the test");
    await sim.pass();

    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual([
      "PENDING",
      "RUNNING",
      "STOPPING",
      "STOPPED",
    ]);
    const stopped = sim.scheduler.last(task.taskArn);
    expect(stopped).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "Task stopped by the test",
      containers: [{ name: "web", lastStatus: "STOPPED", exitCode: 143 }],
    });
    expect(stopped?.containers[0]?.networkBindings?.[0]?.containerPort).toBe(8080);
    expect(stopped?.stoppedAt).toBeTypeOf("number");
    expect(sim.scheduler.tasks.size).toBe(0);
  });

  it("stops the task with EssentialContainerExited when an essential container exits", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("job", { command: ["sh", "-c", "sleep 5; exit 3"] }),
      container("sidecar", { command: SERVICE, essential: false }),
    ]);
    sim.scheduler.place(task);
    await sim.pass();
    expect(sim.scheduler.last(task.taskArn)?.lastStatus).toBe("RUNNING");

    await sim.run(6_000);

    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual([
      "PENDING",
      "RUNNING",
      "STOPPING",
      "STOPPED",
    ]);
    expect(sim.scheduler.last(task.taskArn)).toMatchObject({
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      containers: [
        { name: "job", lastStatus: "STOPPED", exitCode: 3 },
        { name: "sidecar", lastStatus: "STOPPED", exitCode: 0 },
      ],
    });
  });

  it("keeps the task RUNNING when a non-essential container exits", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("web", { command: HTTPD }),
      container("once", { command: ["sh", "-c", "sleep 2; exit 1"], essential: false }),
    ]);
    sim.scheduler.place(task);
    await sim.run(5_000);

    const last = sim.scheduler.last(task.taskArn);
    expect(last?.lastStatus).toBe("RUNNING");
    expect(last?.containers).toMatchObject([
      { name: "web", lastStatus: "RUNNING" },
      { name: "once", lastStatus: "STOPPED", exitCode: 1 },
    ]);
    // Nothing restarted the exited container nor created it again.
    expect(await sim.containers(task.taskArn)).toHaveLength(2);
  });

  it("starts containers in dependsOn order and stops them in reverse", async () => {
    const sim = new Simulation({ startLatencyMs: 200 });
    const recorder = recordEvents(sim);
    const task = manifestTask([
      container("app", {
        command: SERVICE,
        dependsOn: [
          { containerName: "db", condition: "START" },
          { containerName: "migrate", condition: "SUCCESS" },
        ],
      }),
      container("migrate", {
        command: ["sh", "-c", "sleep 3; exit 0"],
        essential: false,
        dependsOn: [{ containerName: "db", condition: "START" }],
      }),
      container("db", { command: SERVICE }),
    ]);
    sim.scheduler.place(task);
    await sim.run(6_000);
    expect(sim.scheduler.last(task.taskArn)?.lastStatus).toBe("RUNNING");

    sim.scheduler.stop(task.taskArn);
    await sim.pass();
    recorder.stop();

    expect(recorder.events).toEqual([
      "start:db",
      "start:migrate",
      "die:migrate",
      "start:app",
      "die:app",
      "die:db",
    ]);
    expect(sim.scheduler.last(task.taskArn)?.lastStatus).toBe("STOPPED");
  });

  it("restarts a restartPolicy container in place, and counts a too-early exit as an exit", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("worker", {
        command: ["sh", "-c", "sleep 10; exit 1"],
        restartPolicy: { enabled: true, restartAttemptPeriod: 5 },
      }),
    ]);
    sim.scheduler.place(task);
    await sim.pass();
    const [before] = await sim.containers(task.taskArn);

    await sim.run(12_000);

    const after = await sim.containers(task.taskArn);
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before?.id);
    expect(after[0]?.restartCount).toBe(1);
    expect(after[0]?.status).toBe("running");
    expect(sim.scheduler.statusesOf(task.taskArn)).not.toContain("STOPPED");

    const quick = manifestTask([
      container("worker", {
        command: ["sh", "-c", "sleep 2; exit 1"],
        restartPolicy: { enabled: true, restartAttemptPeriod: 5 },
      }),
    ]);
    sim.scheduler.place(quick);
    await sim.run(4_000);
    expect(sim.scheduler.last(quick.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
    });
  });

  it("does not restart a container whose exit code is ignored", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("worker", {
        command: ["sh", "-c", "sleep 10; exit 7"],
        restartPolicy: { enabled: true, ignoredExitCodes: [7], restartAttemptPeriod: 5 },
      }),
    ]);
    sim.scheduler.place(task);
    await sim.run(12_000);
    expect(sim.scheduler.last(task.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      containers: [{ exitCode: 7 }],
    });
  });

  it("fails a task whose image cannot be pulled with CannotPullContainerError", async () => {
    const sim = new Simulation({ images: new Set([IMAGE]) });
    const task = manifestTask([container("web", { image: "nowhere/missing:1", command: HTTPD })]);
    sim.scheduler.place(task);
    await sim.pass();

    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual(["PENDING", "STOPPED"]);
    const last = sim.scheduler.last(task.taskArn);
    expect(last?.stopCode).toBe("TaskFailedToStart");
    expect(last?.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(last?.containers[0]?.reason).toMatch(/^CannotPullContainerError: .*nowhere\/missing/);
    expect(last?.pullStartedAt).toBeTypeOf("number");
    expect(last?.pullStoppedAt).toBeTypeOf("number");
    expect(await sim.containers(task.taskArn)).toHaveLength(0);
  });

  it("reports a memory kill as OutOfMemoryError with exit code 137", async () => {
    const sim = new Simulation();
    const task = manifestTask([
      container("hog", {
        command: SERVICE,
        memory: 64,
        environment: [{ name: "HOLLOW_MEMORY_MIB", value: "128" }],
      }),
    ]);
    sim.scheduler.place(task);
    await sim.run(2_000);

    expect(sim.scheduler.last(task.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
      containers: [
        {
          name: "hog",
          lastStatus: "STOPPED",
          exitCode: 137,
          reason: "OutOfMemoryError: Container killed due to memory usage",
        },
      ],
    });
  });

  it("adopts running containers after an agent restart and reports tasks that ended meanwhile", async () => {
    const sim = new Simulation();
    const tasks = [1, 2, 3].map(() => manifestTask([container("web", { command: HTTPD })]));
    for (const t of tasks) sim.scheduler.place(t);
    await sim.pass();
    const [keep, died, stopped] = tasks as [
      (typeof tasks)[0],
      (typeof tasks)[0],
      (typeof tasks)[0],
    ];
    const before = await sim.runtime.list({});
    expect(before.filter((c) => c.status === "running")).toHaveLength(3);

    // kill -9: the agent's memory is gone. Meanwhile one container dies, one task is stopped.
    sim.restartAgent();
    const [diedContainer] = await sim.containers(died.taskArn);
    await sim.runtime.stopContainer(diedContainer?.id ?? "", 0);
    sim.scheduler.stop(stopped.taskArn, "Stopped while the agent was away");
    const reportsBefore = sim.scheduler.reports.length;

    await sim.pass();

    const after = await sim.runtime.list({});
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    expect(sim.runtime.containerCount).toBe(3);
    expect((await sim.containers(keep.taskArn))[0]?.status).toBe("running");
    expect(sim.scheduler.last(died.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
    });
    expect(sim.scheduler.last(stopped.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: "Stopped while the agent was away",
    });
    const newReports = sim.scheduler.reports.slice(reportsBefore);
    expect(
      newReports.filter((r) => r.taskArn === keep.taskArn).map((r) => r.lastStatus),
    ).not.toContain("PENDING");
  });

  it("starts a container left created-but-not-started by a crash instead of creating another", async () => {
    const sim = new Simulation();
    const task = manifestTask([container("web", { command: HTTPD })], { lastStatus: "PENDING" });
    sim.scheduler.place(task);
    // The crash window: the agent created the container and died before starting it.
    const spec = containerSpecFor(task, "web", SETTINGS);
    if (!spec.ok) throw new Error(spec.reason);
    await sim.runtime.ensureImage(IMAGE);
    const id = await sim.runtime.createContainer(spec.spec);

    await sim.pass();

    const containers = await sim.containers(task.taskArn);
    expect(containers.map((c) => [c.id, c.status])).toEqual([[id, "running"]]);
    expect(sim.scheduler.last(task.taskArn)?.lastStatus).toBe("RUNNING");
  });

  it("reports STOPPED a task seen RUNNING whose containers vanished while the agent was down", async () => {
    const sim = new Simulation();
    const task = manifestTask([container("web", { command: HTTPD })]);
    sim.scheduler.place(task);
    await sim.pass();
    sim.restartAgent();
    const [c] = await sim.containers(task.taskArn);
    await sim.runtime.removeContainer(c?.id ?? "");

    await sim.pass();

    expect(sim.scheduler.last(task.taskArn)).toMatchObject({
      lastStatus: "STOPPED",
      stopCode: "EssentialContainerExited",
    });
    expect(await sim.containers(task.taskArn)).toHaveLength(0);
  });

  it("gives an awsvpc task its own network and takes it down when the task stops", async () => {
    const sim = new Simulation();
    const task = manifestTask([container("web", { command: HTTPD })], {
      definition: { networkMode: "awsvpc" },
    });
    sim.scheduler.place(task);
    await sim.pass();
    expect(sim.scheduler.last(task.taskArn)?.lastStatus).toBe("RUNNING");
    const [web] = await sim.containers(task.taskArn);
    expect(web?.ipAddress).toMatch(/^10\./);

    sim.scheduler.stop(task.taskArn);
    await sim.pass();
    expect(sim.scheduler.statusesOf(task.taskArn)).toEqual([
      "PENDING",
      "RUNNING",
      "STOPPING",
      "DEPROVISIONING",
      "STOPPED",
    ]);
  });

  it("removes a stopped task's containers only after the cleanup delay", async () => {
    const sim = new Simulation();
    const task = manifestTask([container("web", { command: HTTPD })]);
    sim.scheduler.place(task);
    await sim.pass();
    sim.scheduler.stop(task.taskArn);
    await sim.pass();
    expect(await sim.containers(task.taskArn)).toHaveLength(1);

    await sim.run(30_000, 10_000);
    expect(await sim.containers(task.taskArn)).toHaveLength(1);
    await sim.run(40_000, 10_000);
    expect(await sim.containers(task.taskArn)).toHaveLength(0);
  });

  it("stops the containers of a task that left the manifest", async () => {
    const sim = new Simulation();
    const task = manifestTask([container("web", { command: HTTPD })]);
    sim.scheduler.place(task);
    await sim.pass();
    sim.scheduler.tasks.delete(task.taskArn);
    await sim.pass();
    expect((await sim.containers(task.taskArn))[0]?.status).toBe("exited");
  });
});
