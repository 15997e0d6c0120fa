import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ReportBatchReply,
  RegisterReply,
  type TaskStateReportMessage,
} from "../../../shared/agent/protocol.js";
import { agentSubject } from "../../../shared/bus/index.js";
import { RegisterTaskDefinition, StartTask } from "../../../shared/commands/scheduler/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";

const meta = { actor: "test", correlationId: "c" };

const resources = [
  { name: "CPU", type: "INTEGER" as const, integerValue: 4096 },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: 4096 },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

const now = () => Date.now() / 1000;
const pending = (taskArn: string): TaskStateReportMessage => ({
  taskArn,
  lastStatus: "PENDING",
  containers: [{ name: "app", lastStatus: "PENDING" }],
  at: now(),
});
const running = (taskArn: string): TaskStateReportMessage => ({
  taskArn,
  lastStatus: "RUNNING",
  containers: [{ name: "app", lastStatus: "RUNNING", runtimeId: `rt-${taskArn.slice(-6)}` }],
  startedAt: now(),
  at: now(),
});
const stopped = (taskArn: string): TaskStateReportMessage => ({
  taskArn,
  lastStatus: "STOPPED",
  containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 0 }],
  stoppedAt: now(),
  at: now(),
});

/** The batched report path (`states`): several tasks' reports recorded in one transaction. */
describe("a batch of task state reports over NATS", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("reportbatch");
    await sched.commands.send(
      RegisterTaskDefinition,
      { family: "batch", containerDefinitions: [{ name: "app", image: "busybox", memory: 64 }] },
      meta,
    );
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const request = async (agentId: string, kind: string, body: unknown): Promise<unknown> => {
    const msg = await sched.nc.request(
      agentSubject(sched.prefix, agentId, kind),
      JSON.stringify(body),
      {
        timeout: 10_000,
      },
    );
    const reply = msg.json<{ ok: boolean; result?: unknown; error?: { type: string } }>();
    if (!reply.ok) throw new Error(reply.error?.type ?? "error");
    return reply.result;
  };
  const register = async (agentId: string) =>
    RegisterReply.parse(
      await request(agentId, "register", {
        agentId,
        totalResources: resources,
        attributes: [],
        versionInfo: {},
      }),
    );
  const sendBatch = async (agentId: string, reports: TaskStateReportMessage[]) =>
    ReportBatchReply.parse(await request(agentId, "states", { reports }));
  const tasksOn = async (instanceArn: string, count: number): Promise<string[]> => {
    const run = await sched.commands.send(
      StartTask,
      {
        taskDefinition: "batch",
        containerInstances: Array.from({ length: count }, () => instanceArn),
      },
      meta,
    );
    return run.taskArns;
  };
  const stateChanges = (taskArn: string) =>
    sched.tdb.db
      .selectFrom("events")
      .select(["data", "transaction_id"])
      .where("type", "=", "TaskStateChanged")
      .where(sql<string>`data->>'taskArn'`, "=", taskArn)
      .orderBy("position")
      .execute();

  it("records every task's reports in order, in one transaction, and releases the stopped one", async () => {
    const agent = "i-0000000000000b01";
    const { containerInstanceArn } = await register(agent);
    const tasks = await tasksOn(containerInstanceArn, 3);
    expect(tasks).toHaveLength(3);
    const [a, b, c] = tasks as [string, string, string];

    const reply = await sendBatch(agent, [pending(a), running(b), running(a), stopped(c)]);
    expect(reply).toEqual({ refused: [] });

    const rows = await sched.tdb.db
      .selectFrom("tasks")
      .select(["task_arn", "last_status"])
      .where("task_arn", "in", tasks)
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.task_arn, r.last_status]))).toEqual({
      [a]: "RUNNING",
      [b]: "RUNNING",
      [c]: "STOPPED",
    });
    const ofA = await stateChanges(a);
    expect(ofA.map((e) => e.data.lastStatus)).toEqual(["PENDING", "RUNNING"]);
    const all = [...ofA, ...(await stateChanges(b)), ...(await stateChanges(c))];
    expect(new Set(all.map((e) => e.transaction_id)).size).toBe(1);
    // c's reservation is gone; a's and b's stay.
    const reserved = await sched.tdb.db
      .selectFrom("task_reservations")
      .select("task_arn")
      .where("container_instance_arn", "=", containerInstanceArn)
      .execute();
    expect(reserved.map((r) => r.task_arn).sort()).toEqual([a, b].sort());

    // The same batch again (its reply was lost): nothing new is recorded.
    const before = await sched.tdb.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(await sendBatch(agent, [pending(a), running(b), running(a), stopped(c)])).toEqual({
      refused: [],
    });
    const after = await sched.tdb.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("a batch with repeats and a late report never moves a task back, and releases it once", async () => {
    const agent = "i-0000000000000b04";
    const { containerInstanceArn } = await register(agent);
    const [t] = (await tasksOn(containerInstanceArn, 1)) as [string];
    const reply = await sendBatch(agent, [
      running(t),
      pending(t), // late
      stopped(t),
      stopped(t), // repeated
      running(t), // late, after STOPPED
    ]);
    expect(reply).toEqual({ refused: [] });
    expect((await stateChanges(t)).map((e) => e.data.lastStatus)).toEqual(["RUNNING", "STOPPED"]);
    const released = await sched.tdb.db
      .selectFrom("events")
      .select("position")
      .where("type", "=", "TaskResourcesReleased")
      .where(sql<string>`data->>'taskArn'`, "=", t)
      .execute();
    expect(released).toHaveLength(1);
    const [row] = await sched.tdb.db
      .selectFrom("tasks")
      .select("last_status")
      .where("task_arn", "=", t)
      .execute();
    expect(row?.last_status).toBe("STOPPED");
  });

  it("refuses, by index, another agent's task and an unknown task, and records the rest", async () => {
    const mine = "i-0000000000000b02";
    const theirs = "i-0000000000000b03";
    const myInstance = (await register(mine)).containerInstanceArn;
    const theirInstance = (await register(theirs)).containerInstanceArn;
    const [own] = (await tasksOn(myInstance, 1)) as [string];
    const [foreign] = (await tasksOn(theirInstance, 1)) as [string];
    const unknown = own.replace(/[0-9a-f]{32}$/, "0".repeat(32));

    const reply = await sendBatch(mine, [running(foreign), running(own), running(unknown)]);
    expect(reply.refused.map((r) => [r.index, r.type, r.retryable])).toEqual([
      [0, "AccessDeniedException", false],
      [2, expect.any(String), false],
    ]);
    const rows = await sched.tdb.db
      .selectFrom("tasks")
      .select(["task_arn", "last_status"])
      .where("task_arn", "in", [own, foreign])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.task_arn, r.last_status]))).toEqual({
      [own]: "RUNNING",
      [foreign]: "PROVISIONING",
    });
  });
});
