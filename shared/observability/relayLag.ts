/** What the log and a relay's stored checkpoint say, read in one snapshot. */
export interface RelayLagReading {
  /** The largest position in the log; undefined when the log is empty. */
  readonly endPosition: number | undefined;
  /** The position of the relay's stored checkpoint (0 before its first save). */
  readonly checkpointPosition: number;
  /** When the first event after the checkpoint (in log order) was recorded; undefined: none. */
  readonly oldestUnrelayedAt: Date | undefined;
  /** The database's clock at the reading. */
  readonly now: Date;
}

export interface RelayLag {
  /** Log end position − checkpoint position: about how many events are not relayed yet. */
  readonly events: number;
  /** How long the oldest event not relayed yet has waited: how far behind the relay is. */
  readonly seconds: number;
}

/**
 * How far a relay is behind the log. Positions are taken at insert, not commit, so the
 * end position can be below the checkpoint's while an event is still waiting (a transaction
 * that took its position early committed late): whether an event waits decides, and then at
 * least 1 is reported. Gaps left by rolled-back transactions make `events` an upper bound.
 */
export const relayLag = (reading: RelayLagReading): RelayLag => {
  if (reading.oldestUnrelayedAt === undefined) return { events: 0, seconds: 0 };
  const byPosition = (reading.endPosition ?? 0) - reading.checkpointPosition;
  const waited = (reading.now.getTime() - reading.oldestUnrelayedAt.getTime()) / 1000;
  return { events: Math.max(1, byPosition), seconds: Math.max(0, waited) };
};
