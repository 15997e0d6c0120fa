import { z } from "zod";
import { APPLICATION_AUTOSCALING_ACTIONS } from "../../applicationAutoScaling/actions/index.js";
import { CLOUDWATCH_ACTIONS } from "../../cloudwatch/actions/index.js";
import { isAuthFailure } from "../../auth/index.js";
import { callAction, type ConsoleRequest } from "../callAction.js";
import type { ConsoleDeps } from "../consoleDeps.js";

export const MetricsQuery = z.object({
  /** How far back, in minutes (default one hour). */
  minutes: z.coerce.number().int().min(5).max(1440).default(60),
  /** Datapoint period in seconds: 10, 30 or a multiple of 60 (default 60). */
  period: z.coerce
    .number()
    .int()
    .refine((p) => p === 10 || p === 30 || (p >= 60 && p % 60 === 0), "10, 30 or a multiple of 60")
    .default(60),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

export const UTILISATION_METRICS = ["CPUUtilization", "MemoryUtilization"] as const;

type Wire = Record<string, unknown>;

/** A part the caller may not read is left out and named, rather than failing the page. */
const unlessDenied = async <T>(
  denied: string[],
  what: string,
  part: () => Promise<T>,
): Promise<T | undefined> => {
  try {
    return await part();
  } catch (err) {
    if (!isAuthFailure(err)) throw err;
    denied.push(what);
    return undefined;
  }
};

/**
 * A service's CPU and memory utilisation over time (AWS/ECS, {ClusterName,
 * ServiceName}, Average and Maximum per period), the alarms on those metrics
 * (their thresholds are drawn) and the service's scaling activities (marked).
 */
export const serviceMetricsView = async (
  deps: ConsoleDeps,
  req: ConsoleRequest,
  cluster: string,
  service: string,
  query: MetricsQuery,
) => {
  const now = (deps.now ?? (() => new Date()))();
  const end = Math.ceil(now.getTime() / 1000 / query.period) * query.period;
  const start = end - query.minutes * 60;
  const dimensions = [
    { Name: "ClusterName", Value: cluster },
    { Name: "ServiceName", Value: service },
  ];
  const denied: string[] = [];
  const metrics = await Promise.all(
    UTILISATION_METRICS.map(async (metricName) => {
      const stats = await unlessDenied(denied, "cloudwatch:GetMetricStatistics", () =>
        callAction<{ Datapoints: Wire[] }>(
          deps,
          req,
          "cloudwatch",
          CLOUDWATCH_ACTIONS.get("GetMetricStatistics"),
          {
            Namespace: "AWS/ECS",
            MetricName: metricName,
            Dimensions: dimensions,
            StartTime: start,
            EndTime: end,
            Period: query.period,
            Statistics: ["Average", "Maximum"],
          },
        ),
      );
      const alarms = await unlessDenied(denied, "cloudwatch:DescribeAlarmsForMetric", () =>
        callAction<{ MetricAlarms: Wire[] }>(
          deps,
          req,
          "cloudwatch",
          CLOUDWATCH_ACTIONS.get("DescribeAlarmsForMetric"),
          { Namespace: "AWS/ECS", MetricName: metricName, Dimensions: dimensions },
        ),
      );
      return {
        metricName,
        datapoints: (stats?.Datapoints ?? [])
          .map((d) => ({
            timestamp: Number(d.Timestamp),
            average: Number(d.Average),
            maximum: Number(d.Maximum),
          }))
          .sort((a, b) => a.timestamp - b.timestamp),
        alarms: (alarms?.MetricAlarms ?? []).map((a) => ({
          alarmName: a.AlarmName,
          threshold: a.Threshold,
          comparisonOperator: a.ComparisonOperator,
          stateValue: a.StateValue,
        })),
      };
    }),
  );
  const activities = await unlessDenied(
    denied,
    "application-autoscaling:DescribeScalingActivities",
    () =>
      callAction<{ ScalingActivities: Wire[] }>(
        deps,
        req,
        "application-autoscaling",
        APPLICATION_AUTOSCALING_ACTIONS.get("DescribeScalingActivities"),
        { ServiceNamespace: "ecs", ResourceId: `service/${cluster}/${service}` },
      ),
  );
  return {
    cluster,
    service,
    startTime: start,
    endTime: end,
    period: query.period,
    metrics,
    scalingActivities: (activities?.ScalingActivities ?? [])
      .map((a) => ({
        startTime: a.StartTime,
        endTime: a.EndTime,
        description: a.Description,
        cause: a.Cause,
        statusCode: a.StatusCode,
      }))
      .filter((a) => Number(a.startTime) >= start),
    denied: [...new Set(denied)],
  };
};
