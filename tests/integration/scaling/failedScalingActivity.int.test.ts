import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AutoscalerContext } from "../../../services/autoscaler/context.js";
import { scalingCommands } from "../../../services/autoscaler/scaling/index.js";
import { CommandClient, served, serveCommands } from "../../../shared/bus/index.js";
import {
  ExecuteScalingPolicy,
  PutScalingPolicy,
  RegisterScalableTarget,
} from "../../../shared/commands/autoscaler/index.js";
import {
  CreateCluster,
  CreateService,
  RegisterTaskDefinition,
  UpdateService,
} from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import { ALL_PROJECTIONS } from "../../../shared/projections/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { testPrefix } from "../../fixtures/nats.js";

const meta = { actor: "test", correlationId: "c" };
const key = {
  ServiceNamespace: "ecs",
  ResourceId: "service/fail/web",
  ScalableDimension: "ecs:service:DesiredCount",
};

/**
 * The hazard: the scheduler refuses the UpdateService a scaling activity sends.
 * The activity must end Failed with the scheduler's error, and start no cooldown.
 * The real scheduler creates the service (on its prefix); the autoscaler runs on
 * a prefix of its own where a stand-in scheduler refuses every UpdateService.
 */
describe("a scaling activity whose UpdateService fails", () => {
  let sched: InProcessScheduler;
  let client: CommandClient;
  let stop: () => Promise<void>;
  let updates = 0;
  const now = new Date("2026-03-01T00:00:00Z");

  beforeAll(async () => {
    sched = await startInProcessScheduler("scalefail");
    await sched.commands.send(CreateCluster, { clusterName: "fail" }, meta);
    await sched.commands.send(
      RegisterTaskDefinition,
      {
        family: "web",
        containerDefinitions: [{ name: "app", image: "flotilla-test/busybox", memory: 64 }],
      },
      meta,
    );
    await sched.commands.send(
      CreateService,
      { cluster: "fail", serviceName: "web", taskDefinition: "web", desiredCount: 1 },
      meta,
    );
    const prefix = testPrefix("scalefailas");
    const ctx: AutoscalerContext = {
      store: new EventStore(sched.tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent }),
      db: sched.tdb.db,
      nc: sched.nc,
      prefix,
      arn: { region: "us-east-1", accountId: "000000000000" },
      clock: () => now,
      log: silentLogger,
      commands: new CommandClient(sched.nc, prefix),
    };
    const autoscaler = serveCommands(
      sched.nc,
      prefix,
      "autoscaler",
      scalingCommands(ctx),
      silentLogger,
    );
    const refusingScheduler = serveCommands(
      sched.nc,
      prefix,
      "scheduler",
      [
        served(UpdateService, () => {
          updates++;
          return Promise.reject(
            new EcsError("ServiceNotActiveException", "Service was not ACTIVE."),
          );
        }),
      ],
      silentLogger,
    );
    stop = async () => {
      await autoscaler.drain();
      await refusingScheduler.drain();
    };
    client = new CommandClient(sched.nc, prefix);
    await sched.nc.flush();
  });
  afterAll(async () => {
    await stop?.();
    await sched?.stop();
  });

  it("records Failed with the error and lets the next invocation try again", async () => {
    await client.send(RegisterScalableTarget, { ...key, MinCapacity: 1, MaxCapacity: 5 }, meta);
    const { PolicyARN } = await client.send(
      PutScalingPolicy,
      {
        ...key,
        PolicyName: "steps",
        PolicyType: "StepScaling",
        StepScalingPolicyConfiguration: {
          AdjustmentType: "ChangeInCapacity",
          Cooldown: 300,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      },
      meta,
    );
    const invoke = () =>
      client.send(
        ExecuteScalingPolicy,
        {
          policyArn: PolicyARN,
          alarmName: "queue-high",
          alarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:queue-high",
          state: "ALARM",
          threshold: 100,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          period: 60,
          metricValue: 150,
          evaluatedAt: now.toISOString(),
        },
        meta,
      );
    expect(await invoke()).toMatchObject({ outcome: "failed" });
    // Without a cooldown from the failed one, the same invocation tries again at once.
    expect(await invoke()).toMatchObject({ outcome: "failed" });
    expect(updates).toBe(2);
    const rows = await sched.tdb.db
      .selectFrom("scaling_activities")
      .selectAll()
      .orderBy("position")
      .execute();
    expect(rows.map((r) => [r.status_code, r.description])).toEqual([
      ["Failed", "Setting desired count to 2."],
      ["Failed", "Setting desired count to 2."],
    ]);
    expect(rows[0]?.status_message).toBe(
      "Failed to set desired count to 2. Reason: ServiceNotActiveException: Service was not ACTIVE.",
    );
    expect(rows[0]?.end_time).toBeInstanceOf(Date);
    const service = await sched.tdb.db
      .selectFrom("services")
      .select("desired_count")
      .where("service_name", "=", "web")
      .executeTakeFirstOrThrow();
    expect(service.desired_count).toBe(1);
  });
});
