export { metricCommands } from "./metricCommands.js";
export {
  startMetricRetention,
  type MetricRetentionLoop,
  type MetricRetentionOptions,
  type MetricRetentionPass,
} from "./metricRetention.js";
