import type { HistoryEvent } from "./historyEvent.js";

const DATA_WIDTH = 90;

/** Data fields the line already says. */
const SAID = new Set(["clusterName", "at", "updatedAt", "createdAt"]);

/** The resource in brief: `service/default/web`, `task/default/4f2c…`, else the stream. */
export const resourceOf = (e: HistoryEvent): string => {
  const arn = e.resourceArn;
  if (arn === undefined) return e.streamId;
  const parts = arn.split(":");
  return parts.length > 5 ? parts.slice(5).join(":") : arn;
};

/** One event as a line: time, position, type, resource, actor and what changed, in brief. */
export const eventLine = (e: HistoryEvent): string => {
  const data = JSON.stringify(
    Object.fromEntries(
      Object.entries(e.data).filter(([k, v]) => !SAID.has(k) && v !== e.resourceArn),
    ),
  );
  return [
    new Date(e.recordedAt * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
    `#${e.position}`,
    e.eventType,
    resourceOf(e),
    e.metadata.actor,
    data.length > DATA_WIDTH ? `${data.slice(0, DATA_WIDTH - 1)}…` : data,
  ].join("  ");
};
