import type { Action } from "../../protocol/action.js";

/** CloudWatch's metric actions: PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics. */
export const METRIC_ACTIONS: readonly Action[] = [];
