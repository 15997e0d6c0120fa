import type { Action } from "../../protocol/action.js";
import { getMetricData } from "./getMetricData.js";
import { getMetricStatistics } from "./getMetricStatistics.js";
import { listMetrics } from "./listMetrics.js";
import { putMetricData } from "./putMetricData.js";

/** CloudWatch's metric actions: PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics. */
export const METRIC_ACTIONS: readonly Action[] = [
  putMetricData,
  getMetricStatistics,
  getMetricData,
  listMetrics,
] as readonly Action[];
