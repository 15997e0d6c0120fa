import { eventSize, LOG_LIMITS } from "./limits.js";

export interface BatchLimits {
  readonly maxEvents: number;
  /** Bytes as PutLogEvents counts them (message + 26 per event). */
  readonly maxBytes: number;
  readonly maxSpanMs: number;
}

/** PutLogEvents' own limits. */
export const PUT_LOG_EVENTS_LIMITS: BatchLimits = {
  maxEvents: LOG_LIMITS.eventsPerBatch,
  maxBytes: LOG_LIMITS.batchBytes,
  maxSpanMs: LOG_LIMITS.batchSpanMs,
};

/**
 * How many of the queued events (in order) the next batch takes: as many as
 * fit the limits, at least one (an event is never larger than a batch: the
 * shipper truncates it to the event limit first).
 */
export const nextBatchSize = (
  queued: readonly { readonly timestamp: number; readonly message: string }[],
  limits: BatchLimits = PUT_LOG_EVENTS_LIMITS,
): number => {
  if (queued.length === 0) return 0;
  const first = queued[0]!.timestamp;
  let bytes = 0;
  let n = 0;
  for (const e of queued) {
    if (n >= limits.maxEvents) break;
    const size = eventSize(e.message);
    if (n > 0 && (bytes + size > limits.maxBytes || e.timestamp - first > limits.maxSpanMs)) break;
    bytes += size;
    n++;
  }
  return n;
};
