import { z } from "zod";
import { MetricUnit, type MetricId } from "../../../shared/metrics/index.js";
import { Dimension, list } from "./input.js";

/** CloudWatch's Metric shape: namespace, name and dimensions, in both wire forms. */
export const MetricShape = z.object({
  Namespace: z.string().min(1).max(255),
  MetricName: z.string().min(1).max(255),
  Dimensions: list(Dimension).optional(),
});

/** A unit, as CloudWatch names them. */
export const UnitInput = MetricUnit;

export const metricIdOf = (m: z.infer<typeof MetricShape>): MetricId => ({
  namespace: m.Namespace,
  metricName: m.MetricName,
  dimensions: (m.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
});

/** A metric as CloudWatch answers with it. */
export const metricOutput = (m: MetricId) => ({
  Namespace: m.namespace,
  MetricName: m.metricName,
  Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
});
