import { z } from "zod";
import { defineCommand } from "../../bus/commandBus.js";
import { MetricDatum } from "../../metrics/metricDatum.js";

/**
 * CloudWatch PutMetricData: datums for one namespace, stored as they arrive
 * (the autoscaler's clock decides their age). Metrics are telemetry, not
 * events: they go to the metric store, never to the event log.
 */
export const PutMetricData = defineCommand({
  name: "PutMetricData",
  owner: "autoscaler",
  payload: z.object({
    namespace: z.string(),
    metricData: z.array(MetricDatum),
  }),
  reply: z.object({ datapoints: z.number().int() }),
});
