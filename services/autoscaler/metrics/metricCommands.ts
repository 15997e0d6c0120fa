import { served, type ServedCommand } from "../../../shared/bus/index.js";
import { PutMetricData } from "../../../shared/commands/autoscaler/index.js";
import {
  insertMetricData,
  validateMetricData,
  validateNamespace,
} from "../../../shared/metrics/index.js";
import type { AutoscalerContext } from "../context.js";

/**
 * The metric store's commands. PutMetricData checks CloudWatch's rules against
 * the autoscaler's clock (a datum's age is decided where it is stored) and
 * appends the datums to the metric store. Metrics are telemetry: nothing goes
 * to the event log.
 */
export const metricCommands = (ctx: AutoscalerContext): ServedCommand[] => [
  served(PutMetricData, async ({ namespace, metricData }) => {
    const now = ctx.clock();
    validateNamespace(namespace);
    validateMetricData(metricData, now);
    return insertMetricData(ctx.db, namespace, metricData, now);
  }),
];
