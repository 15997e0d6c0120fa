import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scalingCommands } from "../../../services/autoscaler/scaling/index.js";
import type { AutoscalerContext } from "../../../services/autoscaler/context.js";
import { CommandClient, served, serveCommands } from "../../../shared/bus/index.js";
import {
  DeleteAlarms,
  DeleteScalingPolicy,
  DeregisterScalableTarget,
  ExecuteScalingPolicy,
  PutMetricAlarm,
  PutScalingPolicy,
  RegisterScalableTarget,
} from "../../../shared/commands/autoscaler/index.js";
import {
  CreateCluster,
  CreateService,
  RegisterTaskDefinition,
} from "../../../shared/commands/scheduler/index.js";
import { EcsError } from "../../../shared/domain/errors.js";
import { EventStore } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { silentLogger } from "../../../shared/log/index.js";
import type { MetricSource, SeriesQuery } from "../../../shared/metrics/metricSource.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import {
  startInProcessScheduler,
  type InProcessScheduler,
} from "../../fixtures/inProcessScheduler.js";
import { waitFor } from "../../fixtures/waitFor.js";

const meta = { actor: "test", correlationId: "c" };
const key = {
  ServiceNamespace: "ecs",
  ResourceId: "service/scl/web",
  ScalableDimension: "ecs:service:DesiredCount",
};

/**
 * The scaling handlers against real Postgres and NATS, with the scheduler in
 * this process: ExecuteScalingPolicy's UpdateService reaches it. The alarm
 * commands are a recording stand-in (the alarm handlers have tests of their own),
 * and RunningTaskCount comes from a metric source the test controls.
 */
describe("Application Auto Scaling handlers", () => {
  let sched: InProcessScheduler;
  let client: CommandClient;
  let stopServing: () => Promise<void>;
  let now = new Date("2026-03-01T00:00:00Z");
  let runningTaskCount = 2;
  const metricQueries: SeriesQuery[] = [];
  const alarmsPut: { AlarmName: string; Threshold: number; ComparisonOperator: string }[] = [];
  const alarmsDeleted: string[] = [];

  beforeAll(async () => {
    sched = await startInProcessScheduler("scaling");
    const metrics: MetricSource = {
      series: (query) => {
        metricQueries.push(query);
        return Promise.resolve([
          {
            timestamp: new Date(query.end.getTime() - query.period * 1000),
            value: runningTaskCount,
            sampleCount: 1,
          },
        ]);
      },
    };
    const ctx: AutoscalerContext = {
      store: new EventStore(sched.tdb.db, { projections: ALL_PROJECTIONS, upcast: upcastEvent }),
      db: sched.tdb.db,
      nc: sched.nc,
      prefix: sched.prefix,
      arn: { region: "us-east-1", accountId: "000000000000" },
      clock: () => now,
      log: silentLogger,
      commands: new CommandClient(sched.nc, sched.prefix),
    };
    const sub = serveCommands(
      sched.nc,
      sched.prefix,
      "autoscaler",
      [
        ...scalingCommands(ctx, { metrics }),
        served(PutMetricAlarm, (alarm) => {
          alarmsPut.push(alarm);
          return Promise.resolve({
            alarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${alarm.AlarmName}`,
          });
        }),
        served(DeleteAlarms, (p) => {
          alarmsDeleted.push(...p.AlarmNames);
          return Promise.resolve({});
        }),
      ],
      silentLogger,
    );
    stopServing = () => sub.drain();
    client = new CommandClient(sched.nc, sched.prefix);
    await sched.nc.flush();
    await sched.commands.send(CreateCluster, { clusterName: "scl" }, meta);
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
      { cluster: "scl", serviceName: "web", taskDefinition: "web", desiredCount: 1 },
      meta,
    );
  });
  afterAll(async () => {
    await stopServing?.();
    await sched?.stop();
  });

  const desiredCount = async () =>
    (
      await sched.tdb.db
        .selectFrom("services")
        .select("desired_count")
        .where("service_name", "=", "web")
        .executeTakeFirstOrThrow()
    ).desired_count;
  const activities = () =>
    sched.tdb.db.selectFrom("scaling_activities").selectAll().orderBy("position").execute();

  it("refuses a service that does not exist, as AWS words it", async () => {
    const err = await client
      .send(
        RegisterScalableTarget,
        { ...key, ResourceId: "service/scl/nope", MinCapacity: 1, MaxCapacity: 2 },
        meta,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EcsError);
    expect(err).toMatchObject({
      type: "ValidationException",
      message: "ECS service doesn't exist: service/scl/nope",
    });
  });

  it("registers the target; a min above the desired count moves the service at once", async () => {
    const { ScalableTargetARN } = await client.send(
      RegisterScalableTarget,
      { ...key, MinCapacity: 2, MaxCapacity: 6 },
      meta,
    );
    expect(ScalableTargetARN).toMatch(
      /^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\//,
    );
    expect(await desiredCount()).toBe(2);
    const [activity] = await activities();
    expect(activity).toMatchObject({
      description: "Setting desired count to 2.",
      cause: "minimum capacity was set to 2",
      status_code: "Successful",
    });
    expect(activity?.end_time).toBeInstanceOf(Date);
    const row = await sched.tdb.db
      .selectFrom("scalable_targets")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      min_capacity: 2,
      max_capacity: 6,
      cluster_name: "scl",
      service_name: "web",
    });
  });

  let policyArn = "";
  let highAlarm = "";

  it("a target tracking policy creates its two alarms through PutMetricAlarm", async () => {
    const reply = await client.send(
      PutScalingPolicy,
      {
        ...key,
        PolicyName: "cpu50",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageCPUUtilization",
          },
          ScaleOutCooldown: 120,
        },
      },
      meta,
    );
    policyArn = reply.PolicyARN;
    expect(policyArn).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/ecs\/service\/scl\/web:policyName\/cpu50$/,
    );
    expect(reply.Alarms.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-service\/scl\/web-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-service\/scl\/web-AlarmLow-[0-9a-f-]{36}$/),
    ]);
    expect(alarmsPut.map((a) => [a.ComparisonOperator, a.Threshold])).toEqual([
      ["GreaterThanThreshold", 50],
      ["LessThanThreshold", 45],
    ]);
    highAlarm = reply.Alarms[0]!.AlarmName;
    const row = await sched.tdb.db
      .selectFrom("scaling_policies")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      policy_arn: policyArn,
      policy_type: "TargetTrackingScaling",
      alarms: reply.Alarms,
    });

    // Put again: the same ARN and alarm names.
    const again = await client.send(
      PutScalingPolicy,
      {
        ...key,
        PolicyName: "cpu50",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ECSServiceAverageCPUUtilization",
          },
          ScaleOutCooldown: 120,
        },
      },
      meta,
    );
    expect(again).toEqual(reply);
  });

  const execute = (metricValue: number | null) =>
    client.send(
      ExecuteScalingPolicy,
      {
        policyArn,
        alarmName: highAlarm,
        alarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${highAlarm}`,
        state: "ALARM",
        threshold: 50,
        comparisonOperator: "GreaterThanThreshold",
        period: 60,
        metricValue,
        evaluatedAt: now.toISOString(),
      },
      meta,
    );

  it("ExecuteScalingPolicy scales out through UpdateService and records the activity", async () => {
    runningTaskCount = 2;
    const reply = await execute(100); // 2 tasks × 100 ÷ 50 = 4
    expect(reply.outcome).toBe("scaled");
    await waitFor(async () => (await desiredCount()) === 4, "desired count 4");
    expect(metricQueries.at(-1)).toMatchObject({
      metric: {
        namespace: "ECS/ContainerInsights",
        metricName: "RunningTaskCount",
        dimensions: [
          { name: "ClusterName", value: "scl" },
          { name: "ServiceName", value: "web" },
        ],
      },
      period: 60,
    });
    const last = (await activities()).at(-1);
    expect(last).toMatchObject({
      activity_id: reply.activityId,
      description: "Setting desired count to 4.",
      status_code: "Successful",
      status_message: "Successfully set desired count to 4. Change successfully fulfilled by ecs.",
    });
    expect(last?.cause).toContain(
      `monitor alarm ${highAlarm} in state ALARM triggered policy cpu50`,
    );
  });

  it("inside the scale-out cooldown only a larger scale-out goes through; the refusal is recorded", async () => {
    now = new Date(now.getTime() + 60_000);
    runningTaskCount = 2;
    const refused = await execute(100); // 4 again: not larger than the one in progress
    expect(refused.outcome).toBe("AlreadyAtDesiredCapacity");
    runningTaskCount = 4;
    const larger = await execute(60); // 4 × 60 ÷ 50 = 4.8 → 5
    expect(larger.outcome).toBe("scaled");
    expect(await desiredCount()).toBe(5);
    const notScaled = (await activities()).filter((a) => a.not_scaled_reasons !== null);
    expect(notScaled).toHaveLength(1);
    expect(notScaled[0]).toMatchObject({
      status_code: "Failed",
      not_scaled_reasons: [
        { Code: "AlreadyAtDesiredCapacity", CurrentCapacity: 4, MinCapacity: 2, MaxCapacity: 6 },
      ],
    });
  });

  it("no datapoint: not scaled for insufficient data", async () => {
    expect((await execute(null)).outcome).toBe("InsufficientData");
  });

  it("the live projection equals a rebuild from the log", async () => {
    const report = await rebuildProjections(sched.tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.tables).toEqual(
      expect.arrayContaining(["scalable_targets", "scaling_policies", "scaling_activities"]),
    );
    expect(report.differences).toEqual([]);
  });

  it("DeleteScalingPolicy deletes the alarms it owns; DeregisterScalableTarget the target", async () => {
    await client.send(DeleteScalingPolicy, { ...key, PolicyName: "cpu50" }, meta);
    expect(alarmsDeleted).toEqual([
      expect.stringContaining("-AlarmHigh-"),
      expect.stringContaining("-AlarmLow-"),
    ]);
    const gone = await client
      .send(DeleteScalingPolicy, { ...key, PolicyName: "cpu50" }, meta)
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ type: "ObjectNotFoundException" });
    expect((await execute(100)).outcome).toBe("policyNotFound");

    await client.send(DeregisterScalableTarget, key, meta);
    expect(await sched.tdb.db.selectFrom("scalable_targets").selectAll().execute()).toEqual([]);
    expect((await activities()).length).toBeGreaterThan(0); // activities outlive the target
    const again = await client.send(DeregisterScalableTarget, key, meta).catch((e: unknown) => e);
    expect(again).toMatchObject({ type: "ObjectNotFoundException" });
    const report = await rebuildProjections(sched.tdb.db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
    });
    expect(report.differences).toEqual([]);
  });
});
