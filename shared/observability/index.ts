export { registry, startProcessMetrics } from "./registry.js";
export { metricsPage, type MetricsPage } from "./exposition.js";
export {
  apiOutcome,
  noteApiAction,
  observeApiRequest,
  UNKNOWN_ACTION,
  type ApiOutcome,
} from "./apiMetrics.js";
export { startCommand, type CommandOutcome } from "./commandMetrics.js";
export { countAppendedEvents } from "./eventMetrics.js";
export { relayLag, type RelayLag, type RelayLagReading } from "./relayLag.js";
export { observeRelays, type ObservedRelay } from "./relayMetrics.js";
export {
  countServiceStep,
  startServicePass,
  timeAgentPass,
  type ServicePassScope,
} from "./reconcileMetrics.js";
export {
  countPlacementFailure,
  countPlacementFailures,
  placementFailureReason,
} from "./placementMetrics.js";
export {
  natsStatusEffect,
  recordNatsConnected,
  recordNatsStatus,
  type NatsStatusEffect,
} from "./natsMetrics.js";
export { observePool, type PoolCounts } from "./poolMetrics.js";
