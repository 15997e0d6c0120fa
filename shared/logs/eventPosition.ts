import { logsInvalidParameter } from "./logsErrors.js";

/** An event's place in a stream or group: its time (ms), then its sequence number. */
export interface EventPosition {
  readonly time: number;
  readonly seq: number;
}

const pad = (n: number): string => String(n).padStart(20, "0");

/** GetLogEvents' tokens: `f/<position>` (after it) and `b/<position>` (before it). */
export const encodePositionToken = (direction: "f" | "b", p: EventPosition): string =>
  `${direction}/${pad(p.time)}${pad(p.seq)}`;

export const decodePositionToken = (
  token: string,
  field = "nextToken",
): { direction: "f" | "b"; position: EventPosition } => {
  const m = /^([fb])\/(\d{20})(\d{20})$/.exec(token);
  if (!m) throw logsInvalidParameter(`The specified ${field} is not valid.`);
  return {
    direction: m[1] as "f" | "b",
    position: { time: Number(m[2]), seq: Number(m[3]) },
  };
};

/** FilterLogEvents' token: the position of the last event the page covered. */
export const encodeFilterToken = (p: EventPosition): string => `${pad(p.time)}${pad(p.seq)}`;

export const decodeFilterToken = (token: string): EventPosition => {
  const m = /^(\d{20})(\d{20})$/.exec(token);
  if (!m) throw logsInvalidParameter("The specified nextToken is not valid.");
  return { time: Number(m[1]), seq: Number(m[2]) };
};
