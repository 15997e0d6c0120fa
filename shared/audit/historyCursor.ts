import { createHash } from "node:crypto";
import type { HistoryFilter } from "./historyFilter.js";

/**
 * Where a paged history query stands: the snapshot its first page was read
 * in (every page reads only the events visible in it, so the set being paged
 * never changes), the last position returned, and a digest of the filter so a
 * token is not replayed against another query.
 */
export interface HistoryCursor {
  readonly snapshot: string;
  readonly after: number;
  readonly filterDigest: string;
}

export const filterDigest = (filter: HistoryFilter): string =>
  createHash("sha256")
    .update(
      JSON.stringify([
        filter.streamIds ?? null,
        filter.revision ?? null,
        filter.actor ?? null,
        filter.eventTypes ?? null,
        filter.startTime?.toISOString() ?? null,
        filter.endTime?.toISOString() ?? null,
        filter.startPosition ?? null,
        filter.endPosition ?? null,
        filter.scanBy,
      ]),
    )
    .digest("base64url")
    .slice(0, 16);

export const encodeCursor = (cursor: HistoryCursor): string =>
  Buffer.from(JSON.stringify([1, cursor.snapshot, cursor.after, cursor.filterDigest])).toString(
    "base64url",
  );

const SNAPSHOT = /^\d+:\d+:(\d+(,\d+)*)?$/;

/** The cursor a token holds, or undefined when it is not one of ours. */
export const decodeCursor = (token: string): HistoryCursor | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 4 || value[0] !== 1) return undefined;
    const [, snapshot, after, digest] = value as unknown[];
    if (typeof snapshot !== "string" || !SNAPSHOT.test(snapshot)) return undefined;
    if (typeof after !== "number" || !Number.isSafeInteger(after)) return undefined;
    if (typeof digest !== "string") return undefined;
    return { snapshot, after, filterDigest: digest };
  } catch {
    return undefined;
  }
};
