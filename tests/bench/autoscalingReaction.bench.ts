import {
  ApplicationAutoScalingClient,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ListContainerInstancesCommand,
  RegisterTaskDefinitionCommand,
} from "@aws-sdk/client-ecs";
import { serviceStream } from "../../shared/domain/streams.js";
import { DEV_CREDENTIALS, REGION, startIsolatedSystem } from "./isolatedSystem.js";
import type { BenchContext, BenchResult, BenchSuite } from "./suite.js";
import { withRatio } from "./suite.js";

/** High-resolution alarm period (seconds), the shortest CloudWatch allows. */
const PERIOD = 10;
/** The autoscaler's ALARM_EVALUATION_DELAY_MS, left at its default. */
const EVALUATION_DELAY_S = 2;
const NAMESPACE = "Bench/Reaction";
const TARGET = 50;
/** Inside target tracking's dead band (90–100 % of the target): no alarm, no scaling. */
const CALM = 48;
const BUSY = 90;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (s: number) => Math.round(s * 100) / 100;

const datum = (service: string, value: number, at: Date): MetricDatum => ({
  MetricName: "Load",
  Dimensions: [{ Name: "Service", Value: service }],
  Value: value,
  Timestamp: at,
  StorageResolution: 1,
});

interface Policy {
  readonly service: string;
  readonly label: string;
  /** Periods over target the policy's alarm needs. */
  readonly periods: number;
}

/**
 * Seconds from the first datapoint over target (PutMetricData, 1 s resolution, 10 s alarm
 * periods) to the UpdateService the autoscaler sends, read from the service's stream
 * (ServiceUpdated with a desiredCount). Two services on a hollow agent, each under one
 * policy: target tracking (its high alarm in AWS's shape, 3 of 3 periods; 1 of 1 in a tiny
 * run) and step scaling (an alarm of 1 of 1 periods). The metric first runs calm for a
 * minute (backfilled), then goes over target right after a period begins: the worst case,
 * since that period's whole length passes before it can be evaluated. A tiny run (scale < 0.5,
 * the smoke test) goes over target at once, wherever in the period that falls.
 */
export const autoscalingReaction: BenchSuite = {
  name: "autoscaling-reaction",
  workload: `custom metric at 1 s resolution, ${PERIOD} s alarm periods, evaluated ${EVALUATION_DELAY_S} s after a period ends (the defaults); calm at ${CALM} (target ${TARGET}) for a minute, then ${BUSY} from just after a period boundary (the worst case); target tracking (high alarm 3 of 3 periods, as AWS) and step scaling (alarm 1 of 1, +1 task) on two services of a hollow agent; baseline: the alarm's own floor, its periods + the evaluation delay`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const tiny = ctx.scale < 0.5;
    const policies: Policy[] = [
      { service: "tracked", label: "target tracking", periods: tiny ? 1 : 3 },
      { service: "stepped", label: "step scaling", periods: 1 },
    ];
    const sys = await startIsolatedSystem(ctx, {
      label: "bench_reaction",
      serviceEnv: {
        agent: { FLOTILLA_AGENT_RUNTIME: "hollow" },
        autoscaler: {
          TARGET_TRACKING_PERIOD_SECONDS: String(PERIOD),
          TARGET_TRACKING_SCALE_OUT_PERIODS: String(policies[0]!.periods),
          ALARM_EVALUATION_DELAY_MS: String(EVALUATION_DELAY_S * 1000),
        },
      },
    });
    const clientConfig = {
      endpoint: sys.endpoint,
      region: REGION,
      credentials: DEV_CREDENTIALS,
    };
    const scaling = new ApplicationAutoScalingClient(clientConfig);
    const cloudwatch = new CloudWatchClient(clientConfig);
    let feeding = false;
    try {
      while (
        !(await sys.ecs.send(new ListContainerInstancesCommand({}))).containerInstanceArns?.length
      ) {
        await sleep(100);
      }
      await sys.ecs.send(
        new RegisterTaskDefinitionCommand({
          family: "bench-reaction",
          containerDefinitions: [
            { name: "app", image: "flotilla-test/busybox:latest", cpu: 10, memory: 16 },
          ],
        }),
      );
      for (const { service } of policies) {
        await sys.ecs.send(
          new CreateServiceCommand({
            serviceName: service,
            taskDefinition: "bench-reaction",
            desiredCount: 1,
          }),
        );
        await scaling.send(
          new RegisterScalableTargetCommand({
            ServiceNamespace: "ecs",
            ResourceId: `service/default/${service}`,
            ScalableDimension: "ecs:service:DesiredCount",
            MinCapacity: 1,
            MaxCapacity: 10,
          }),
        );
      }
      const metric = (service: string) => ({
        MetricName: "Load",
        Namespace: NAMESPACE,
        Dimensions: [{ Name: "Service", Value: service }],
      });
      await scaling.send(
        new PutScalingPolicyCommand({
          PolicyName: "track-load",
          ServiceNamespace: "ecs",
          ResourceId: "service/default/tracked",
          ScalableDimension: "ecs:service:DesiredCount",
          PolicyType: "TargetTrackingScaling",
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: TARGET,
            CustomizedMetricSpecification: { ...metric("tracked"), Statistic: "Average" },
          },
        }),
      );
      const step = await scaling.send(
        new PutScalingPolicyCommand({
          PolicyName: "step-load",
          ServiceNamespace: "ecs",
          ResourceId: "service/default/stepped",
          ScalableDimension: "ecs:service:DesiredCount",
          PolicyType: "StepScaling",
          StepScalingPolicyConfiguration: {
            AdjustmentType: "ChangeInCapacity",
            StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
          },
        }),
      );
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: "stepped-load-high",
          ...metric("stepped"),
          Statistic: "Average",
          Period: PERIOD,
          EvaluationPeriods: 1,
          Threshold: TARGET,
          ComparisonOperator: "GreaterThanThreshold",
          AlarmActions: [step.PolicyARN!],
        }),
      );
      // The target tracking policy's task must run: its new capacity scales the running count.
      while (
        (await sys.ecs.send(new DescribeServicesCommand({ services: ["tracked"] }))).services?.[0]
          ?.runningCount !== 1
      ) {
        await sleep(100);
      }

      // A calm minute, backfilled, so the alarms judge real history, not missing data.
      const now = Date.now();
      const history = Array.from({ length: 60 }, (_, i) => new Date(now - (60 - i) * 1000));
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: NAMESPACE,
          MetricData: history.flatMap((at) => policies.map((p) => datum(p.service, CALM, at))),
        }),
      );
      const put = (value: number) =>
        cloudwatch.send(
          new PutMetricDataCommand({
            Namespace: NAMESPACE,
            MetricData: policies.map((p) => datum(p.service, value, new Date())),
          }),
        );
      // Calm until just after the next period boundary (a tiny run goes over target at once).
      const periodMs = PERIOD * 1000;
      while (!tiny) {
        await put(CALM);
        const wait = periodMs - (Date.now() % periodMs);
        if (wait <= 1000) {
          await sleep(wait + 20);
          break;
        }
        await sleep(1000);
      }
      const firstBusy = Date.now();
      console.log(`  over target from ${new Date(firstBusy).toISOString()}`);
      feeding = true;
      const feeder = (async () => {
        while (feeding) {
          const next = Date.now() + 1000;
          await put(BUSY).catch(() => undefined);
          await sleep(Math.max(0, next - Date.now()));
        }
      })();

      const reactions = new Map<string, number>();
      const deadline = firstBusy + (3 * PERIOD + 60) * 1000;
      try {
        while (reactions.size < policies.length && Date.now() < deadline) {
          for (const p of policies) {
            if (reactions.has(p.service)) continue;
            const { rows } = await sys.db.query<{ recorded_at: Date }>(
              `SELECT recorded_at FROM events
                WHERE stream_id = $1 AND type = 'ServiceUpdated' AND data ? 'desiredCount'
                ORDER BY position LIMIT 1`,
              [serviceStream("default", p.service)],
            );
            const at = rows[0]?.recorded_at;
            if (at) {
              const seconds = (at.getTime() - firstBusy) / 1000;
              reactions.set(p.service, seconds);
              console.log(`  ${p.label}: UpdateService after ${round(seconds)} s`);
            }
          }
          await sleep(100);
        }
      } finally {
        feeding = false;
        await feeder;
      }
      // Where the time went: the alarm's change, the scaling activity, the UpdateService.
      const { rows: trail } = await sys.db.query<{ type: string; stream_id: string; at: Date }>(
        `SELECT type, stream_id, recorded_at AS at FROM events
          WHERE recorded_at >= $1 AND type <> 'TaskStateChanged' ORDER BY position`,
        [new Date(firstBusy)],
      );
      for (const e of trail) {
        console.log(
          `    +${round((e.at.getTime() - firstBusy) / 1000)} s ${e.type} ${e.stream_id}`,
        );
      }
      return policies.map((p) => {
        const seconds = reactions.get(p.service);
        if (seconds === undefined) {
          throw new Error(`${p.label}: no UpdateService within ${3 * PERIOD + 60} s`);
        }
        return withRatio({
          suite: "autoscaling-reaction",
          metric: `${p.label}, alarm ${p.periods} of ${p.periods} × ${PERIOD} s: first datapoint over target → UpdateService (s)`,
          value: round(seconds),
          unit: "s",
          baseline: {
            metric: `${p.periods} period(s) + ${EVALUATION_DELAY_S} s evaluation delay (s)`,
            value: p.periods * PERIOD + EVALUATION_DELAY_S,
          },
        });
      });
    } finally {
      feeding = false;
      scaling.destroy();
      cloudwatch.destroy();
      await sys.stop();
    }
  },
};
