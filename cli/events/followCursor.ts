/**
 * How far back each poll of `events --follow` reads again: a transaction can
 * commit after one with a higher log position, so the positions just below
 * the newest seen are read again and only unseen ones are printed.
 */
export const FOLLOW_OVERLAP = 500;

export interface FollowCursor {
  /** The highest position printed (-1 before any). */
  readonly highWater: number;
  /** Positions printed at or above highWater - FOLLOW_OVERLAP. */
  readonly seen: ReadonlySet<number>;
}

export const startCursor = (highWater = -1): FollowCursor => ({ highWater, seen: new Set() });

/** The startPosition of the next poll. */
export const nextStartPosition = (c: FollowCursor): number =>
  Math.max(0, c.highWater - FOLLOW_OVERLAP + 1);

/**
 * The events of one poll not printed before, in position order, and the
 * cursor after them. A position below the overlap window is never printed
 * twice either (it was read in an earlier window).
 */
export const admitEvents = <E extends { readonly position: number }>(
  c: FollowCursor,
  events: readonly E[],
): { fresh: E[]; cursor: FollowCursor } => {
  const floor = nextStartPosition(c);
  const fresh = [...events]
    .filter((e) => e.position >= floor && !c.seen.has(e.position))
    .sort((a, b) => a.position - b.position)
    .filter((e, i, all) => i === 0 || all[i - 1]!.position !== e.position);
  const highWater = Math.max(c.highWater, ...fresh.map((e) => e.position));
  const keepFrom = highWater - FOLLOW_OVERLAP + 1;
  const seen = new Set([...c.seen, ...fresh.map((e) => e.position)].filter((p) => p >= keepFrom));
  return { fresh, cursor: { highWater, seen } };
};
