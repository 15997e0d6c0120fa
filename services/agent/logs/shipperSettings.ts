import type { BatchLimits } from "../../../shared/logs/index.js";

/** How the agent ships container logs (config: docs/logs.md, docs/operations.md). */
export interface LogShipperSettings {
  /** Send what is queued at least this often (FLOTILLA_AGENT_LOG_FLUSH_MS). */
  readonly flushIntervalMs: number;
  /** Lines queued per container before the shipper stops reading (the engine keeps the rest). */
  readonly maxQueuedLines: number;
  /** One batch: fewer events and bytes than PutLogEvents allows, so it fits a NATS message. */
  readonly batch: BatchLimits;
  /** Longer lines are cut to this many bytes (with the 26-byte overhead). */
  readonly maxEventBytes: number;
}

export const DEFAULT_LOG_SHIPPER_SETTINGS: LogShipperSettings = {
  flushIntervalMs: 1_000,
  maxQueuedLines: 10_000,
  // JSON escaping can grow a message up to six times; 128 KiB stays under NATS' 1 MiB payload.
  batch: { maxEvents: 1_000, maxBytes: 128 * 1024, maxSpanMs: 24 * 3_600_000 },
  maxEventBytes: 64 * 1024,
};
