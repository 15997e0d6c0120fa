const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `26/11/26 20:05:00`: how CloudWatch's StateReason dates a datapoint (UTC). */
export const reasonDate = (d: Date): string =>
  `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ` +
  `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** `2026-11-26T20:05:00.000+0000`: how CloudWatch's StateReasonData writes times. */
export const reasonDataDate = (d: Date): string => `${d.toISOString().slice(0, 23)}+0000`;
