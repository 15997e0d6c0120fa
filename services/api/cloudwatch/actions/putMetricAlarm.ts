import { z } from "zod";
import { PutMetricAlarm } from "../../../../shared/commands/autoscaler/index.js";
import {
  ComparisonOperator,
  TreatMissingData,
} from "../../../../shared/domain/alarms/alarmDefinition.js";
import { EcsError } from "../../../../shared/domain/errors.js";
import { defineAction } from "../../protocol/action.js";
import { bool, cloudWatchParser, Dimension, int, list, num } from "../input.js";

const input = z.object({
  AlarmName: z.string().min(1).max(255),
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: bool.optional(),
  OKActions: list(z.string().max(1024)).optional(),
  AlarmActions: list(z.string().max(1024)).optional(),
  InsufficientDataActions: list(z.string().max(1024)).optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Namespace: z.string().min(1).max(255).optional(),
  Statistic: z.enum(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]).optional(),
  ExtendedStatistic: z.string().optional(),
  Dimensions: list(Dimension).optional(),
  Period: int.optional(),
  Unit: z.string().optional(),
  EvaluationPeriods: int,
  DatapointsToAlarm: int.optional(),
  Threshold: num.optional(),
  ComparisonOperator,
  TreatMissingData: TreatMissingData.optional(),
  EvaluateLowSampleCountPercentile: z.enum(["evaluate", "ignore"]).optional(),
  Metrics: list(z.unknown()).optional(),
  ThresholdMetricId: z.string().optional(),
  Tags: list(z.object({ Key: z.string(), Value: z.string() })).optional(),
});

const limitList = (field: string, values: readonly string[] | undefined) => {
  if (values && values.length > 5) {
    throw new EcsError(
      "InvalidParameterValue",
      `The parameter ${field} may have at most 5 actions; got ${values.length}.`,
    );
  }
};

/** CloudWatch PutMetricAlarm: creates or replaces a metric alarm (static threshold). */
export const putMetricAlarm = defineAction({
  name: "PutMetricAlarm",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    if ((i.Metrics && i.Metrics.length > 0) || i.ThresholdMetricId !== undefined) {
      throw new EcsError(
        "InvalidParameterValue",
        "Metric math alarms (Metrics, ThresholdMetricId) are not supported; give MetricName, Namespace and Statistic.",
      );
    }
    for (const field of ["MetricName", "Namespace", "Period", "Threshold"] as const) {
      if (i[field] === undefined) {
        throw new EcsError("MissingParameter", `The parameter ${field} is required.`);
      }
    }
    limitList("OKActions", i.OKActions);
    limitList("AlarmActions", i.AlarmActions);
    limitList("InsufficientDataActions", i.InsufficientDataActions);
    if (i.Dimensions && i.Dimensions.length > 30) {
      throw new EcsError("InvalidParameterValue", "The parameter Dimensions may have at most 30.");
    }
    const { Metrics: _m, ThresholdMetricId: _t, ...rest } = i;
    await ctx.commands.send(
      PutMetricAlarm,
      {
        ...rest,
        MetricName: i.MetricName!,
        Namespace: i.Namespace!,
        Period: i.Period!,
        Threshold: i.Threshold!,
      },
      ctx.metadata,
    );
    return {};
  },
});
