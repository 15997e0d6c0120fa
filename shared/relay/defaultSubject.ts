import { eventSubject } from "../bus/subjects.js";
import type { RecordedEvent } from "../eventstore/index.js";

/** Replaces what a NATS subject token cannot hold (`.`, `*`, `>`, white space). */
const token = (value: string): string => value.replace(/[.*>\s]/g, "_") || "_";

/**
 * `<prefix>.evt.<cluster>.<aggregate>.<Type>`: the cluster from `data.clusterName`
 * when the event has one (else the account token), the aggregate from the
 * stream id's part before `:` (`cluster:demo` → `cluster`).
 */
export const defaultSubjectFor =
  (prefix: string) =>
  (event: RecordedEvent): string => {
    const cluster = event.data.clusterName;
    const colon = event.streamId.indexOf(":");
    const aggregate = colon === -1 ? event.streamId : event.streamId.slice(0, colon);
    return eventSubject(
      prefix,
      typeof cluster === "string" && cluster !== "" ? token(cluster) : undefined,
      token(aggregate),
      token(event.type),
    );
  };
