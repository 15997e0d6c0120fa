import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateCluster,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  RunTask,
} from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { clientTokenStream } from "../../../shared/domain/streams.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";

const meta = { actor: "test", correlationId: "c" };

const resources = (cpu: number, memory: number) => [
  { name: "CPU", type: "INTEGER" as const, integerValue: cpu },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: memory },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: [] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

const refusal = async (p: Promise<unknown>): Promise<EcsError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof EcsError) return err;
    throw err;
  }
  throw new Error("expected an EcsError");
};

describe("RunTask clientToken idempotency over the real store", () => {
  let sched: InProcessScheduler;

  beforeAll(async () => {
    sched = await startInProcessScheduler("clienttoken");
    await sched.commands.send(CreateCluster, { clusterName: "idem" }, meta);
    await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster: "idem",
        ec2InstanceId: "i-idem1",
        totalResources: resources(4096, 8192),
        attributes: [],
      },
      meta,
    );
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "job",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 64 }],
      },
      meta,
    );
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const taskCount = async () =>
    Number(
      (
        await sched.tdb.db
          .selectFrom("tasks")
          .select((e) => e.fn.countAll().as("n"))
          .where("cluster_name", "=", "idem")
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("two calls with one token create the tasks once and answer the same", async () => {
    const before = await taskCount();
    const input = { cluster: "idem", taskDefinition: "job", count: 2, clientToken: "once-1" };
    const first = await sched.commands.send(RunTask, input, meta);
    expect(first.taskArns).toHaveLength(2);
    const second = await sched.commands.send(RunTask, { ...input, cluster: "idem" }, meta);
    expect(second).toEqual(first);
    expect(await taskCount()).toBe(before + 2);
  });

  it("concurrent repeats race for the claim: one launches, the others get its answer", async () => {
    const before = await taskCount();
    const input = { cluster: "idem", taskDefinition: "job", count: 1, clientToken: "race-1" };
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => sched.commands.send(RunTask, input, meta)),
    );
    expect(await taskCount()).toBe(before + 1);
    for (const r of replies) expect(r).toEqual(replies[0]);
    const { events } = await sched.scheduler.ctx.store.readStream(
      clientTokenStream("RunTask", "idem", "race-1"),
    );
    expect(events.map((e) => e.type)).toEqual(["ClientTokenClaimed", "ClientTokenCompleted"]);
  });

  it("the same token with a different request is a ConflictException and launches nothing", async () => {
    await sched.commands.send(
      RunTask,
      { cluster: "idem", taskDefinition: "job", clientToken: "conflict-1" },
      meta,
    );
    const before = await taskCount();
    const error = await refusal(
      sched.commands.send(
        RunTask,
        { cluster: "idem", taskDefinition: "job", count: 2, clientToken: "conflict-1" },
        meta,
      ),
    );
    expect(error.type).toBe("ConflictException");
    expect(error.message).toContain("clientToken is already in use with a different RunTask");
    expect(await taskCount()).toBe(before);
  });

  it("a request refused before launching frees its token for a corrected one", async () => {
    const error = await refusal(
      sched.commands.send(
        RunTask,
        { cluster: "idem", taskDefinition: "nosuchfamily", clientToken: "fixme-1" },
        meta,
      ),
    );
    expect(error.type).toBe("ClientException");
    const fixed = await sched.commands.send(
      RunTask,
      { cluster: "idem", taskDefinition: "job", clientToken: "fixme-1" },
      meta,
    );
    expect(fixed.taskArns).toHaveLength(1);
  });
});
