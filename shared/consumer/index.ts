/**
 * Durable JetStream consumers of the events stream for services: one event at
 * a time in log order, ack / nak with delay / term by the error's `retryable`.
 */
export {
  ensureDurable,
  serverAtLeast,
  supportsMultipleFilters,
  type BoundDurable,
  type DurableSpec,
} from "./ensureDurable.js";
export { isRetryable, nakDelay } from "./retry.js";
export {
  startConsumer,
  type ConsumerOptions,
  type ConsumerStatus,
  type EventConsumer,
} from "./startConsumer.js";
export { subjectMatches } from "./subjectMatch.js";
