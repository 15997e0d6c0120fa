/** Epoch seconds (how events record time) as RFC 3339, as EventBridge's details carry times. */
export const isoTime = (epochSeconds: number): string =>
  new Date(Math.round(epochSeconds * 1000)).toISOString();

/** `isoTime` of an optional time. */
export const isoTimeOf = (epochSeconds: number | undefined): string | undefined =>
  epochSeconds === undefined ? undefined : isoTime(epochSeconds);
