export { appendStreams, type StreamBatchAppend } from "./appendStreams.js";
export { appendToStream, EVENTS_NOTIFY_CHANNEL } from "./appendToStream.js";
export { ConcurrencyError, isConcurrencyError } from "./errors.js";
export {
  EventStore,
  type EventStoreOptions,
  type StreamAppend,
  type Upcaster,
} from "./eventStore.js";
export { applyProjections, type InlineProjection } from "./projection.js";
export { readAll, type ReadAllResult } from "./readAll.js";
export { readStream, type ReadStreamResult } from "./readStream.js";
export { readStreams } from "./readStreams.js";
export * from "./types.js";
