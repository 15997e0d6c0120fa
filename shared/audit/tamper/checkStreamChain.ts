import type { HashedEventFields } from "./canonicalEvent.js";
import { chainHash, GENESIS_HASH } from "./chainHash.js";
import type { TamperProblem } from "./tamperProblem.js";

export interface ChainedEvent {
  readonly position: number;
  readonly fields: HashedEventFields;
  readonly storedHash: Buffer | null;
}

/** The stream's row: its version and last hash, as the append left them. */
export interface StreamHead {
  readonly version: number;
  readonly lastHash: Buffer | null;
}

/**
 * Recomputes one stream's chain (events in version order) and locates what
 * does not fit: a row whose content no longer matches its hash (changed), a
 * missing version (removed), a stream row that disagrees with its newest
 * event. Rows without a hash are older than the chains and are skipped until
 * the first hashed row; a missing hash after that is a change. Each row is
 * checked against its predecessor's stored hash, so one edited row is
 * reported once, at that row.
 */
export const checkStreamChain = (
  streamId: string,
  events: readonly ChainedEvent[],
  head: StreamHead | undefined,
): TamperProblem[] => {
  const problems: TamperProblem[] = [];
  const at = (e: ChainedEvent) => ({
    source: "chain" as const,
    position: e.position,
    streamId,
    streamVersion: e.fields.streamVersion,
  });
  let previous: Buffer = GENESIS_HASH;
  let expectedVersion = 1;
  let hashed = false;
  for (const e of events) {
    for (let v = expectedVersion; v < e.fields.streamVersion; v++) {
      problems.push({
        kind: "removed",
        source: "chain",
        streamId,
        streamVersion: v,
        detail: "version missing from the stream",
      });
    }
    if (e.storedHash === null) {
      if (hashed) {
        problems.push({ kind: "changed", ...at(e), detail: "hash removed from a chained row" });
      }
    } else {
      if (!chainHash(previous, e.fields).equals(e.storedHash)) {
        problems.push({
          kind: "changed",
          ...at(e),
          detail: "content does not match the hash chain",
        });
      }
      previous = e.storedHash;
      hashed = true;
    }
    expectedVersion = e.fields.streamVersion + 1;
  }
  const lastVersion = expectedVersion - 1;
  if (head === undefined) {
    if (events.length > 0) {
      problems.push({
        kind: "inserted",
        source: "chain",
        streamId,
        detail: "events for a stream that has no stream row",
      });
    }
    return problems;
  }
  for (let v = lastVersion + 1; v <= head.version; v++) {
    problems.push({
      kind: "removed",
      source: "chain",
      streamId,
      streamVersion: v,
      detail: `stream row is at version ${head.version}; newest event is v${lastVersion}`,
    });
  }
  if (head.version < lastVersion) {
    problems.push({
      kind: "inserted",
      source: "chain",
      streamId,
      streamVersion: lastVersion,
      detail: `events beyond the stream row's version ${head.version}`,
    });
  }
  if (hashed && head.version === lastVersion && !(head.lastHash?.equals(previous) ?? false)) {
    const last = events.at(-1)!;
    problems.push({
      kind: "changed",
      ...at(last),
      detail: "stream row's last hash differs from the newest event's hash",
    });
  }
  return problems;
};
