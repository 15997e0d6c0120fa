import { z } from "zod";
import { defineAction } from "../../protocol/action.js";
import { cloudWatchParser, Dimension, int, list } from "../input.js";
import { findAlarms, metricAlarmOf } from "../read/alarmQueries.js";

const input = z.object({
  MetricName: z.string().min(1).max(255),
  Namespace: z.string().min(1).max(255),
  Statistic: z.enum(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]).optional(),
  ExtendedStatistic: z.string().optional(),
  Dimensions: list(Dimension).optional(),
  Period: int.optional(),
  Unit: z.string().optional(),
});

const dimensionKey = (ds: readonly { Name: string; Value: string }[]) =>
  JSON.stringify([...ds].map((d) => [d.Name, d.Value]).sort());

/** CloudWatch DescribeAlarmsForMetric: the alarms on one metric, narrowed by the fields given. */
export const describeAlarmsForMetric = defineAction({
  name: "DescribeAlarmsForMetric",
  input,
  parse: cloudWatchParser(input),
  async handle(i, ctx) {
    const rows = await findAlarms(ctx.db, { namespace: i.Namespace, metricName: i.MetricName });
    const alarms = rows
      .map(metricAlarmOf)
      .filter(
        (a) =>
          (i.Statistic === undefined || a.Statistic === i.Statistic) &&
          (i.ExtendedStatistic === undefined || a.ExtendedStatistic === i.ExtendedStatistic) &&
          (i.Period === undefined || a.Period === i.Period) &&
          (i.Unit === undefined || a.Unit === i.Unit) &&
          (i.Dimensions === undefined || dimensionKey(a.Dimensions) === dimensionKey(i.Dimensions)),
      );
    return { MetricAlarms: alarms };
  },
});
