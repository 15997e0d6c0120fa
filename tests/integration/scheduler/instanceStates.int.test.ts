import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instanceAggregate } from "../../../services/scheduler/containerInstances/instanceState.js";
import { loadInstanceStates } from "../../../services/scheduler/containerInstances/instanceStates.js";
import { fold } from "../../../shared/aggregate/decider.js";
import {
  CreateCluster,
  RegisterContainerInstance,
  RegisterTaskDefinition,
  ReportTaskState,
  RunTask,
  UpdateContainerInstancesState,
} from "../../../shared/commands/scheduler/index.js";
import { containerInstanceStream } from "../../../shared/domain/streams.js";
import { toDomainEvent } from "../../../shared/events/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";

const meta = { actor: "test", correlationId: "c" };
const resources = [
  { name: "CPU", type: "INTEGER" as const, integerValue: 1024 },
  { name: "MEMORY", type: "INTEGER" as const, integerValue: 2048 },
  { name: "PORTS", type: "STRINGSET" as const, stringSetValue: ["22"] },
  { name: "PORTS_UDP", type: "STRINGSET" as const, stringSetValue: [] },
];

/** Placement reads an instance from the read models: it must be what its stream folds to. */
describe("loadInstanceStates: an instance's placement state from the read models", () => {
  let sched: InProcessScheduler;
  beforeAll(async () => {
    sched = await startInProcessScheduler("instancestates");
  });
  afterAll(async () => {
    await sched?.stop();
  });

  const folded = async (arn: string) => {
    const id = arn.slice(arn.lastIndexOf("/") + 1);
    const { version, events } = await sched.scheduler.ctx.store.readStream(
      containerInstanceStream("states", id),
    );
    return { version, state: fold(instanceAggregate, events.map(toDomainEvent)) };
  };
  const expectSame = async (arn: string) => {
    const loaded = (await loadInstanceStates(sched.scheduler.ctx, "states", [arn])).get(arn);
    expect(loaded).toEqual(await folded(arn));
  };

  it("equals the fold of the stream through placements, a release and a drain", async () => {
    await sched.commands.send(CreateCluster, { clusterName: "states" }, meta);
    const { containerInstanceArn: arn } = await sched.commands.send(
      RegisterContainerInstance,
      {
        cluster: "states",
        ec2InstanceId: "i-states1",
        availabilityZone: "us-east-1b",
        totalResources: resources,
        attributes: [],
      },
      meta,
    );
    await expectSame(arn);
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "web",
        containerDefinitions: [
          {
            name: "app",
            image: "flotilla-test/busybox",
            cpu: 100,
            memory: 128,
            portMappings: [{ containerPort: 80, hostPort: 8080 }],
          },
        ],
      },
      meta,
    );
    const first = await sched.commands.send(
      RunTask,
      { cluster: "states", taskDefinition: "web" },
      meta,
    );
    expect(first.taskArns).toHaveLength(1);
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "worker",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 64 }],
      },
      meta,
    );
    const workers = await sched.commands.send(
      RunTask,
      { cluster: "states", taskDefinition: "worker", count: 2 },
      meta,
    );
    expect(workers.taskArns).toHaveLength(2);
    await expectSame(arn);

    // A task stopped: its reservation is released on the instance's stream.
    await sched.commands.send(
      ReportTaskState,
      {
        taskArn: first.taskArns[0]!,
        lastStatus: "STOPPED",
        containers: [{ name: "app", lastStatus: "STOPPED", exitCode: 0 }],
        at: Date.now() / 1000,
      },
      meta,
    );
    await sched.commands.send(
      UpdateContainerInstancesState,
      { cluster: "states", containerInstances: [arn], status: "DRAINING" },
      meta,
    );
    const loaded = (await loadInstanceStates(sched.scheduler.ctx, "states", [arn])).get(arn)!;
    expect(loaded.state.status).toBe("DRAINING");
    expect(loaded.state.tasks.size).toBe(2);
    await expectSame(arn);
  });

  it("answers an unknown instance as never registered, at version 0", async () => {
    const arn = "arn:aws:ecs:us-east-1:000000000000:container-instance/states/" + "0".repeat(32);
    const loaded = (await loadInstanceStates(sched.scheduler.ctx, "states", [arn])).get(arn);
    expect(loaded).toEqual({ version: 0, state: instanceAggregate.initialState });
  });
});
