import {
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
  type Task,
} from "@aws-sdk/client-ecs";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskStateReportMessage } from "../../shared/agent/protocol.js";
import { agentSubject } from "../../shared/bus/index.js";
import { natsUrl } from "../fixtures/nats.js";
import { startTestSystem, type TestSystem } from "../fixtures/system.js";
import { waitFor } from "../fixtures/waitFor.js";
import { agentContainerIds } from "./fixtures/agentSignals.js";
import { checkInvariants, expectNothingLost } from "./fixtures/invariants.js";

const IMAGE = "flotilla-test/busybox:latest";
const LOOP = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

interface LoggedEvent {
  readonly type: string;
  readonly version: number;
  readonly data: Record<string, unknown>;
}

/**
 * Fault: the agent's task state reports arrive twice and out of order (a retried request
 * whose first reply was lost, a report queue replayed after a restart). Published here with
 * a plain NATS connection on the agent's own subject, exactly as the agent sends them, for
 * real tasks the agent runs: the task's status never moves backwards, a repeat records
 * nothing, the stream stays gapless, and a STOPPED report sent many times at once releases
 * the task's resources once.
 */
describe("fault: duplicate and out-of-order agent state reports", () => {
  let sys: TestSystem;
  let ecs: ECSClient;
  let nc: NatsConnection;
  let taskDefinitionArn: string;

  beforeAll(async () => {
    sys = await startTestSystem("fault_reports");
    ecs = sys.ecs();
    nc = await connect({ servers: natsUrl(), name: "fault-reports" });
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: "reports",
        containerDefinitions: [
          { name: "loop", image: IMAGE, memory: 16, essential: true, command: LOOP },
        ],
      }),
    );
    taskDefinitionArn = taskDefinition!.taskDefinitionArn!;
  });
  afterAll(async () => {
    await nc?.close();
    await sys?.stop();
  });

  /** One report on `<prefix>.agent.<agentId>.state`, as the agent's report queue sends it. */
  const report = async (body: TaskStateReportMessage): Promise<void> => {
    const reply = await nc.request(
      agentSubject(sys.prefix, sys.agentId, "state"),
      JSON.stringify(body),
      { timeout: 15_000 },
    );
    const answer = reply.json<{ ok: boolean; error?: unknown }>();
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true });
  };

  const streamOf = async (taskArn: string): Promise<LoggedEvent[]> => {
    const id = taskArn.slice(taskArn.lastIndexOf("/") + 1);
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["type", "stream_version", "data"])
      .where("stream_id", "=", `task:default/${id}`)
      .orderBy("stream_version")
      .execute();
    return rows.map((r) => ({
      type: r.type,
      version: Number(r.stream_version),
      data: r.data,
    }));
  };
  const expectGapless = (events: readonly LoggedEvent[]) => {
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
  };
  /** The last report the scheduler recorded, as the agent sent it. */
  const lastReport = (events: readonly LoggedEvent[]): TaskStateReportMessage => {
    const last = events.filter((e) => e.type === "TaskStateChanged").at(-1)!;
    const { clusterName: _cluster, ...body } = last.data;
    return body as TaskStateReportMessage;
  };
  const describeTask = async (taskArn: string): Promise<Task> =>
    (await ecs.send(new DescribeTasksCommand({ tasks: [taskArn] }))).tasks![0]!;
  const releasesOf = async (taskArn: string): Promise<number> => {
    const rows = await sys.database.db
      .selectFrom("events")
      .select(["data"])
      .where("type", "=", "TaskResourcesReleased")
      .execute();
    return rows.filter((r) => (r.data as { taskArn?: string }).taskArn === taskArn).length;
  };
  const runTask = async (): Promise<string> => {
    const run = await ecs.send(new RunTaskCommand({ taskDefinition: taskDefinitionArn }));
    expect(run.failures, JSON.stringify(run.failures)).toEqual([]);
    const arn = run.tasks![0]!.taskArn!;
    await waitUntilTasksRunning(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [arn] },
    );
    return arn;
  };

  it("repeats record nothing and stale reports never move a task backwards, before or after STOPPED", async () => {
    const taskArn = await runTask();
    const atRunning = await streamOf(taskArn);
    expectGapless(atRunning);
    const running = lastReport(atRunning);
    expect(running.lastStatus).toBe("RUNNING");
    const runtimeId = running.containers[0]!.runtimeId;

    // The same RUNNING report again: once, then five at once.
    await report(running);
    await Promise.all(Array.from({ length: 5 }, () => report(running)));
    expect(await streamOf(taskArn)).toEqual(atRunning);

    // Late reports of earlier states, as a replayed queue would deliver them.
    const earlier = running.at - 5;
    await report({
      taskArn,
      lastStatus: "PENDING",
      containers: [{ name: "loop", lastStatus: "PENDING" }],
      at: earlier,
    });
    await report({ taskArn, lastStatus: "PROVISIONING", containers: [], at: earlier - 1 });
    await report({
      taskArn,
      lastStatus: "PENDING",
      containers: [{ name: "loop", lastStatus: "PENDING", runtimeId }],
      at: earlier,
    });
    const afterStale = await streamOf(taskArn);
    expectGapless(afterStale);
    expect(afterStale.length - atRunning.length, "events recorded for stale reports").toBe(0);
    const described = await describeTask(taskArn);
    expect(described.lastStatus).toBe("RUNNING");
    expect(described.containers![0]!.lastStatus).toBe("RUNNING");
    expect(described.containers![0]!.runtimeId).toBe(runtimeId);

    // Stopped for real; then RUNNING and PENDING arrive late, and STOPPED twice more.
    await ecs.send(new StopTaskCommand({ task: taskArn, reason: "fault test" }));
    await waitUntilTasksStopped(
      { client: ecs, maxWaitTime: 60, minDelay: 1, maxDelay: 1 },
      { tasks: [taskArn] },
    );
    const atStopped = await streamOf(taskArn);
    expectGapless(atStopped);
    const stopped = lastReport(atStopped);
    expect(stopped.lastStatus).toBe("STOPPED");
    await report(running);
    await report({
      taskArn,
      lastStatus: "PENDING",
      containers: [{ name: "loop", lastStatus: "PENDING" }],
      at: earlier,
    });
    await Promise.all([report(stopped), report(stopped)]);
    expect(await streamOf(taskArn)).toEqual(atStopped);
    const final = await describeTask(taskArn);
    expect(final.lastStatus).toBe("STOPPED");
    expect(final.containers![0]!.lastStatus).toBe("STOPPED");
    expect(await releasesOf(taskArn)).toBe(1);
  });

  it("a STOPPED report sent eight times at once is recorded once and releases resources once", async () => {
    const taskArn = await runTask();
    const atRunning = await streamOf(taskArn);
    const running = lastReport(atRunning);
    const now = Date.now() / 1000;
    const stopped: TaskStateReportMessage = {
      taskArn,
      lastStatus: "STOPPED",
      containers: [
        {
          name: "loop",
          lastStatus: "STOPPED",
          exitCode: 0,
          ...(running.containers[0]!.runtimeId === undefined
            ? {}
            : { runtimeId: running.containers[0]!.runtimeId }),
        },
      ],
      stopCode: "EssentialContainerExited",
      stoppedReason: "Essential container in task exited",
      executionStoppedAt: now,
      stoppedAt: now,
      at: now,
    };
    await Promise.all(Array.from({ length: 8 }, () => report(stopped)));
    // And late: the RUNNING before it.
    await report(running);
    const after = await streamOf(taskArn);
    expectGapless(after);
    expect(after.slice(0, atRunning.length)).toEqual(atRunning);
    const added = after.slice(atRunning.length);
    expect(added.map((e) => [e.type, e.data.lastStatus])).toEqual([
      ["TaskStateChanged", "STOPPED"],
    ]);
    expect(await releasesOf(taskArn)).toBe(1);
    expect((await describeTask(taskArn)).lastStatus).toBe("STOPPED");
    // The agent still ran the container: with the task out of its manifest, it stops it.
    const runtimeId = running.containers[0]!.runtimeId!;
    await waitFor(
      async () => !(await agentContainerIds(sys.agentId)).includes(runtimeId),
      "the agent to stop the container of the task reported STOPPED",
      60_000,
      500,
    );

    const invariants = await checkInvariants(
      {
        databaseUrl: sys.database.url,
        natsUrl: natsUrl(),
        prefix: sys.prefix,
        agentIds: [sys.agentId],
      },
      { convergeTimeoutMs: 30_000 },
    );
    expectNothingLost(invariants);
  });
});
