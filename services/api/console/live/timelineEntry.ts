import type { ArnContext } from "../../../../shared/domain/arn.js";
import { streamResourceArn } from "../../../../shared/audit/index.js";
import { upcastEvent } from "../../../../shared/events/index.js";
import type { RecordedEvent } from "../../../../shared/eventstore/index.js";

/**
 * One event as the console's timeline shows it: GetResourceHistory's entry
 * shape (recordedAt in epoch seconds), plus the cluster its stream belongs
 * to, so a page can tell whether the change concerns what it shows.
 */
export const timelineEntry = (arn: ArnContext, recorded: RecordedEvent) => {
  const e = upcastEvent(recorded);
  const resourceArn = streamResourceArn(arn, e.streamId, e.data);
  return {
    position: e.position,
    eventId: e.eventId,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    eventType: e.type,
    recordedAt: e.recordedAt.getTime() / 1000,
    ...(resourceArn === undefined ? {} : { resourceArn }),
    ...(clusterOfStream(e.streamId) === undefined ? {} : { cluster: clusterOfStream(e.streamId) }),
    metadata: { actor: e.metadata.actor, correlationId: e.metadata.correlationId },
    data: e.data,
  };
};
export type TimelineEntry = ReturnType<typeof timelineEntry>;

/** `cluster:<c>`, `service:<c>/<s>`, `task:<c>/<id>`, `instance:<c>/<id>` → `<c>`. */
export const clusterOfStream = (streamId: string): string | undefined => {
  const colon = streamId.indexOf(":");
  const kind = streamId.slice(0, colon);
  const rest = streamId.slice(colon + 1);
  if (kind === "cluster") return rest;
  if (kind === "service" || kind === "task" || kind === "instance") {
    const slash = rest.indexOf("/");
    return slash > 0 ? rest.slice(0, slash) : undefined;
  }
  return undefined;
};
