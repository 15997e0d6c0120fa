import type { LogStreamRef } from "./logStreams.js";

/** One event as FilterLogEvents answers it. */
export interface FilteredLogEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly eventId: string;
}

/** Where `logs --follow` goes on from: the newest timestamp printed and the ids printed at it. */
export interface LogCursor {
  readonly since: number;
  readonly printedAtSince: ReadonlySet<string>;
}

/**
 * The events of a poll not printed before, oldest first, and the cursor after
 * them. Polls ask from `since` inclusive: several events can share a
 * millisecond, and the ones already printed are recognised by id.
 */
export const admitLogEvents = (
  cursor: LogCursor,
  events: readonly FilteredLogEvent[],
): { fresh: FilteredLogEvent[]; cursor: LogCursor } => {
  const seen = new Set<string>();
  const fresh = [...events]
    .filter(
      (e) =>
        e.timestamp > cursor.since ||
        (e.timestamp === cursor.since && !cursor.printedAtSince.has(e.eventId)),
    )
    .filter((e) => (seen.has(e.eventId) ? false : (seen.add(e.eventId), true)))
    .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
  const since = Math.max(cursor.since, ...fresh.map((e) => e.timestamp));
  const atSince = new Set(since === cursor.since ? cursor.printedAtSince : []);
  for (const e of fresh) if (e.timestamp === since) atSince.add(e.eventId);
  return { fresh, cursor: { since, printedAtSince: atSince } };
};

/** `2026-11-27T00:12:01.250Z web/4f2c1a9e  message`: the container and the task's id in brief. */
export const logLine = (
  e: FilteredLogEvent,
  streams: ReadonlyMap<string, LogStreamRef>,
): string => {
  const ref = streams.get(e.logStreamName);
  const source = ref ? `${ref.container}/${ref.taskId.slice(0, 8)}` : e.logStreamName;
  return `${new Date(e.timestamp).toISOString()} ${source}  ${e.message.replace(/\n$/, "")}`;
};
