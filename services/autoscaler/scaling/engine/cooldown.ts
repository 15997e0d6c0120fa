/** The scale-outs and scale-ins a scalable target made, as cooldowns need them. */
export interface CooldownHistory {
  /** The last scale-out still standing (a failed one does not count). */
  readonly lastScaleOut?: {
    readonly at: Date;
    readonly fromCapacity: number;
    readonly toCapacity: number;
  };
  readonly lastScaleIn?: { readonly at: Date };
}

const within = (since: Date, seconds: number, now: Date): boolean =>
  now.getTime() < since.getTime() + seconds * 1000;

/** The scale-out in progress (its cooldown not over), if any. */
export const scaleOutInCooldown = (history: CooldownHistory, seconds: number, now: Date) =>
  history.lastScaleOut !== undefined && within(history.lastScaleOut.at, seconds, now)
    ? history.lastScaleOut
    : undefined;

/**
 * Whether a scale-in is blocked: the last scale-in's cooldown is not over and
 * no scale-out came after it (a scale-out cancels the scale-in cooldown).
 */
export const scaleInBlocked = (history: CooldownHistory, seconds: number, now: Date): boolean => {
  const { lastScaleIn, lastScaleOut } = history;
  if (lastScaleIn === undefined || !within(lastScaleIn.at, seconds, now)) return false;
  return lastScaleOut === undefined || lastScaleOut.at.getTime() < lastScaleIn.at.getTime();
};
