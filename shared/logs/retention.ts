import { logsInvalidParameter } from "./logsErrors.js";

/** The retention periods (days) PutRetentionPolicy accepts. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const DAY_MS = 86_400_000;

export const validateRetentionDays = (days: number): number => {
  if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw logsInvalidParameter(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(", ")}]`,
    );
  }
  return days;
};

/** Events of a group with this retention before the returned time (ms) have expired; none for no retention. */
export const retentionCutoff = (retentionDays: number | null, nowMs: number): number | undefined =>
  retentionDays === null ? undefined : nowMs - retentionDays * DAY_MS;
