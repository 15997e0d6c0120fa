/**
 * CloudWatch Logs' limits, as its API documents them (docs/logs.md). PutLogEvents
 * counts each event as its UTF-8 message bytes plus 26 bytes.
 */
export const LOG_LIMITS = {
  /** Events in one PutLogEvents call. */
  eventsPerBatch: 10_000,
  /** Bytes in one PutLogEvents call (messages + 26 bytes per event). */
  batchBytes: 1_048_576,
  /** Bytes of one event (message + 26). */
  eventBytes: 262_144,
  /** Overhead CloudWatch counts per event. */
  eventOverheadBytes: 26,
  /** A batch may span at most this long (first to last event). */
  batchSpanMs: 24 * 3_600_000,
  /** Events older than this are rejected (tooOldLogEventEndIndex). */
  maxAgeMs: 14 * 24 * 3_600_000,
  /** Events more than this ahead of now are rejected (tooNewLogEventStartIndex). */
  maxFutureMs: 2 * 3_600_000,
  /** GetLogEvents / FilterLogEvents page size: default and most. */
  eventsPerPage: 10_000,
  /** DescribeLogGroups / DescribeLogStreams page size: default and most. */
  describePageSize: 50,
  /** Names: at most 512 characters. */
  nameLength: 512,
} as const;

/** PutLogEvents' size of one event: its UTF-8 bytes plus the per-event overhead. */
export const eventSize = (message: string): number =>
  Buffer.byteLength(message, "utf8") + LOG_LIMITS.eventOverheadBytes;

/** The longest prefix of `message` whose event size fits `maxEventBytes` (never splitting a character). */
export const truncateMessage = (
  message: string,
  maxEventBytes: number = LOG_LIMITS.eventBytes,
): string => {
  const budget = maxEventBytes - LOG_LIMITS.eventOverheadBytes;
  const bytes = Buffer.from(message, "utf8");
  if (bytes.length <= budget) return message;
  let end = budget;
  // Step back over UTF-8 continuation bytes (10xxxxxx) to a character boundary.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
};
