import { z } from "zod";
import { CommonConfig, loadConfig } from "../../shared/config/index.js";
import { isValidEcsMetricsPeriod } from "./ecsMetrics/ecsMetricsPeriod.js";

export const AutoscalerConfig = CommonConfig.extend({
  HEALTH_PORT: CommonConfig.shape.HEALTH_PORT.default(8082),
  /** Period of the AWS/ECS utilisation metrics: 10, 30 or a multiple of 60 (< 60 = high resolution). */
  ECS_METRICS_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .refine(isValidEcsMetricsPeriod, "10, 30 or a multiple of 60")
    .default(60),
  /** One collection round of agent stats every this many seconds; must divide the period. */
  ECS_METRICS_ROUND_SECONDS: z.coerce.number().int().min(1).default(10),
  /** How often the alarm evaluator looks for alarms whose period has ended. */
  ALARM_EVALUATION_TICK_MS: z.coerce.number().int().min(10).default(1000),
  /** How long after a period ends its alarms are evaluated (lets the period's last data in). */
  ALARM_EVALUATION_DELAY_MS: z.coerce.number().int().min(0).default(2000),
  /** Metric store housekeeping (partitions ahead, roll-ups, drops) every this many seconds. */
  METRIC_RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Target tracking alarms' period (Flotilla extension; AWS: 60). */
  TARGET_TRACKING_PERIOD_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Periods above the target, out of as many, before a target tracking scale-out (AWS: 3). */
  TARGET_TRACKING_SCALE_OUT_PERIODS: z.coerce.number().int().min(1).default(3),
  /** Periods below 90 % of the target, out of as many, before a scale-in (AWS: 15). */
  TARGET_TRACKING_SCALE_IN_PERIODS: z.coerce.number().int().min(1).default(15),
});

export const loadAutoscalerConfig = () => loadConfig(AutoscalerConfig);
