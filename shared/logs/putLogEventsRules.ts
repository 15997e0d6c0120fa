import { eventSize, LOG_LIMITS } from "./limits.js";
import { logsInvalidParameter } from "./logsErrors.js";
import { retentionCutoff } from "./retention.js";

export interface InputLogEvent {
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
}

/** PutLogEvents' `rejectedLogEventsInfo`: indexes of the events it did not store. */
export interface RejectedLogEventsInfo {
  readonly tooNewLogEventStartIndex?: number;
  readonly tooOldLogEventEndIndex?: number;
  readonly expiredLogEventEndIndex?: number;
}

export interface CheckedBatch {
  /** The events to store: those neither too old, expired nor too new. */
  readonly accepted: readonly InputLogEvent[];
  readonly rejected?: RejectedLogEventsInfo;
}

/**
 * PutLogEvents' rules (pure): 1–10 000 events in chronological order, within
 * 1 MiB (messages + 26 bytes each), each event within 256 KiB, spanning at most
 * 24 hours — else InvalidParameterException naming the rule. Events older than
 * 14 days (or than the group's retention) and more than 2 hours ahead are not
 * stored and reported by index, as CloudWatch Logs does.
 */
export const checkPutLogEvents = (
  events: readonly InputLogEvent[],
  nowMs: number,
  retentionDays: number | null,
): CheckedBatch => {
  if (events.length < 1 || events.length > LOG_LIMITS.eventsPerBatch) {
    throw logsInvalidParameter(
      `1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${LOG_LIMITS.eventsPerBatch} and greater than or equal to 1; got ${events.length}.`,
    );
  }
  let bytes = 0;
  for (const [i, e] of events.entries()) {
    if (e.message.length < 1) {
      throw logsInvalidParameter(
        `1 validation error detected: Value at 'logEvents.${i + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1`,
      );
    }
    if (!Number.isSafeInteger(e.timestamp) || e.timestamp < 0) {
      throw logsInvalidParameter(
        `logEvents.${i + 1}.member.timestamp: expected milliseconds since the epoch; got ${e.timestamp}.`,
      );
    }
    const size = eventSize(e.message);
    if (size > LOG_LIMITS.eventBytes) {
      throw logsInvalidParameter(
        `Log event too large: logEvents.${i + 1} is ${size} bytes; the most is ${LOG_LIMITS.eventBytes}.`,
      );
    }
    bytes += size;
    if (i > 0 && e.timestamp < events[i - 1]!.timestamp) {
      throw logsInvalidParameter(
        "Log events in a single PutLogEvents request must be in chronological order.",
      );
    }
  }
  if (bytes > LOG_LIMITS.batchBytes) {
    throw logsInvalidParameter(
      `The batch of log events is ${bytes} bytes; the most is ${LOG_LIMITS.batchBytes} (messages + 26 bytes per event).`,
    );
  }
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > LOG_LIMITS.batchSpanMs) {
    throw logsInvalidParameter(
      "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.",
    );
  }
  const tooOldBefore = nowMs - LOG_LIMITS.maxAgeMs;
  const expiredBefore = retentionCutoff(retentionDays, nowMs) ?? -Infinity;
  const tooNewAfter = nowMs + LOG_LIMITS.maxFutureMs;
  let tooOldEnd = -1;
  let expiredEnd = -1;
  let tooNewStart = events.length;
  for (const [i, e] of events.entries()) {
    if (e.timestamp < tooOldBefore) tooOldEnd = i;
    if (e.timestamp < expiredBefore) expiredEnd = i;
    if (e.timestamp > tooNewAfter && tooNewStart === events.length) tooNewStart = i;
  }
  const firstKept = Math.max(tooOldEnd, expiredEnd) + 1;
  const accepted = events.slice(firstKept, Math.max(firstKept, tooNewStart));
  const rejected: RejectedLogEventsInfo = {
    ...(tooNewStart < events.length ? { tooNewLogEventStartIndex: tooNewStart } : {}),
    ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
    ...(expiredEnd >= 0 ? { expiredLogEventEndIndex: expiredEnd } : {}),
  };
  return Object.keys(rejected).length > 0 ? { accepted, rejected } : { accepted };
};
