/**
 * ECS metrics from agent stats: `AWS/ECS` CPUUtilization / MemoryUtilization and
 * `ECS/ContainerInsights` RunningTaskCount, one StatisticValues datapoint per period.
 * The loop (startEcsMetrics) does the I/O; the rest is pure.
 */
export { startEcsMetrics, type EcsMetricsLoop, type EcsMetricsOptions } from "./startEcsMetrics.js";
export { isValidEcsMetricsPeriod, storageResolutionOf } from "./ecsMetricsPeriod.js";
export {
  addRound,
  closePeriods,
  EMPTY_ACCUMULATOR,
  type EcsDatum,
  type PeriodAccumulator,
  type StatisticSet,
} from "./periodAccumulator.js";
export { utilization, utilizationRound, type RoundValues } from "./utilizationRound.js";
export { recordStatsReport, pruneSamples, type TaskSamples } from "./taskSamples.js";
export { serviceOfGroup, type TaskIndex, type RunningTask } from "./taskIndex.js";
