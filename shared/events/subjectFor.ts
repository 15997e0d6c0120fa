import { eventSubject } from "../bus/subjects.js";
import type { RecordedEvent } from "../eventstore/index.js";
import { aggregateOfStream } from "./catalogue.js";

/** `<prefix>.evt.<cluster>.<aggregate>.<Type>`; account-level events use the `@account` token. */
export const subjectForEvent =
  (prefix: string) =>
  (event: RecordedEvent): string => {
    const cluster = typeof event.data.clusterName === "string" ? event.data.clusterName : undefined;
    return eventSubject(prefix, cluster, aggregateOfStream(event.streamId), event.type);
  };
