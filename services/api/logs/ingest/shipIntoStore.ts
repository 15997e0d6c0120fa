import {
  LOG_LIMITS,
  retentionCutoff,
  truncateMessage,
  type EventToStore,
} from "../../../../shared/logs/index.js";
import type { LogBatch } from "../../../../shared/logs/index.js";

export interface ShippedDecision {
  readonly events: EventToStore[];
  /** The newest source time in the batch (ns), stored or not: the agent's next cursor. */
  readonly cursorNs?: bigint;
}

/**
 * Which of an agent's lines to store (pure): those after the stream's cursor
 * (a batch resent after an agent restart or a lost reply is stored once), and
 * not older than 14 days or the group's retention, nor over 2 hours ahead. Times become milliseconds;
 * messages are cut to CloudWatch's event size.
 */
export const decideShippedLines = (
  batch: Pick<LogBatch, "events">,
  cursorNs: bigint | null,
  retentionDays: number | null,
  nowMs: number,
): ShippedDecision => {
  const oldest = Math.max(nowMs - LOG_LIMITS.maxAgeMs, retentionCutoff(retentionDays, nowMs) ?? 0);
  const events: EventToStore[] = [];
  let newest: bigint | undefined;
  for (const e of batch.events) {
    const ns = BigInt(e.sourceTimeNs);
    if (cursorNs !== null && ns <= cursorNs) continue;
    if (newest === undefined || ns > newest) newest = ns;
    const timestamp = Number(ns / 1_000_000n);
    if (timestamp < oldest || timestamp > nowMs + LOG_LIMITS.maxFutureMs) continue;
    events.push({ timestamp, message: truncateMessage(e.message) });
  }
  return newest === undefined ? { events } : { events, cursorNs: newest };
};
