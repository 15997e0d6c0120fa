/** Newest first (the default) or oldest first, in CloudWatch's words. */
export type ScanBy = "TimestampDescending" | "TimestampAscending";

/** What a history query selects; every field narrows it (all are ANDed). */
export interface HistoryFilter {
  /** Events of these streams only (one resource may be more than one stream). */
  readonly streamIds?: readonly string[] | undefined;
  /**
   * With a task definition family's stream: only the events about this
   * revision (they carry `revision`, or the revision's ARN as `resourceArn`).
   */
  readonly revision?: number | undefined;
  readonly actor?: string | undefined;
  readonly eventTypes?: readonly string[] | undefined;
  /** recordedAt ≥ startTime. */
  readonly startTime?: Date | undefined;
  /** recordedAt < endTime (half-open, so consecutive windows neither overlap nor gap). */
  readonly endTime?: Date | undefined;
  /** position ≥ startPosition. */
  readonly startPosition?: number | undefined;
  /** position ≤ endPosition. */
  readonly endPosition?: number | undefined;
  readonly scanBy: ScanBy;
}
