import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
} from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/nats-core";
import { eventStreamName } from "../bus/subjects.js";
import type { Logger } from "../log/index.js";
import { ensureEventStream } from "../relay/index.js";

export interface DurableSpec {
  readonly prefix: string;
  readonly durableName: string;
  readonly filterSubjects: readonly string[];
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly deliverPolicy: "all" | "new";
}

export interface BoundDurable {
  readonly info: ConsumerInfo;
  /**
   * Subjects the client must still filter on: set when several filter subjects
   * were asked of a server older than 2.10, which supports only one.
   */
  readonly clientFilter: readonly string[] | undefined;
}

/** Whether the connected server is at least `major.minor`. */
export const serverAtLeast = (nc: NatsConnection, major: number, minor: number): boolean => {
  const [maj = 0, min = 0] = (nc.info?.version ?? "0.0.0").split(".").map(Number);
  return maj > major || (maj === major && min >= minor);
};

/** `filter_subjects` (several filters on one consumer) came with nats-server 2.10. */
export const supportsMultipleFilters = (nc: NatsConnection): boolean => serverAtLeast(nc, 2, 10);

const isApiError = (err: unknown, code: number): boolean =>
  err instanceof JetStreamApiError && err.code === code;

/**
 * Creates the durable pull consumer, or brings an existing one to this
 * configuration. `max_ack_pending: 1` delivers one event at a time, in stream
 * order: an event being retried holds back the ones after it, which is what
 * lets a consumer skip anything at or below the last event it handled.
 */
export const ensureDurable = async (
  nc: NatsConnection,
  jsm: JetStreamManager,
  spec: DurableSpec,
  log: Logger,
): Promise<BoundDurable> => {
  const stream = eventStreamName(spec.prefix);
  const filters = spec.filterSubjects;
  let clientFilter: readonly string[] | undefined;
  const filterConfig: Partial<ConsumerConfig> = {};
  if (filters.length === 1) {
    filterConfig.filter_subject = filters[0];
  } else if (filters.length > 1) {
    if (supportsMultipleFilters(nc)) {
      filterConfig.filter_subjects = [...filters];
    } else {
      clientFilter = filters;
      log.warn(
        { filters, server: nc.info?.version },
        "server has no multiple filter subjects (< 2.10): filtering on the client",
      );
    }
  }
  const changeable: Partial<ConsumerConfig> = {
    description: `flotilla event consumer ${spec.durableName}`,
    ack_wait: nanos(spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    max_ack_pending: 1,
    ...filterConfig,
  };
  const config: Partial<ConsumerConfig> = {
    ...changeable,
    durable_name: spec.durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.deliverPolicy === "new" ? DeliverPolicy.New : DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
  };
  for (let attempt = 0; ; attempt++) {
    let existing: ConsumerInfo | undefined;
    try {
      existing = await jsm.consumers.info(stream, spec.durableName);
    } catch (err) {
      if (isApiError(err, JetStreamApiCodes.StreamNotFound)) {
        // The relay has not run yet: create the stream so the consumer can wait on it.
        await ensureEventStream(jsm, spec.prefix);
      } else if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) {
        throw err;
      }
    }
    try {
      if (existing === undefined) {
        return { info: await jsm.consumers.add(stream, config), clientFilter };
      }
      if (!differs(existing.config, changeable)) return { info: existing, clientFilter };
      const update: Partial<ConsumerConfig> = { ...changeable };
      // Dropping a filter needs it cleared explicitly, not just left out.
      if (filters.length !== 1) update.filter_subject = "";
      if (filterConfig.filter_subjects === undefined && existing.config.filter_subjects) {
        update.filter_subjects = [];
      }
      return {
        info: await jsm.consumers.update(stream, spec.durableName, update),
        clientFilter,
      };
    } catch (err) {
      // Another replica created or changed it at the same moment: look again.
      if (attempt >= 2) throw err;
    }
  }
};

const differs = (current: ConsumerConfig, wanted: Partial<ConsumerConfig>): boolean => {
  const norm = (v: unknown) => (Array.isArray(v) ? [...(v as string[])].sort().join(",") : v);
  const sameFilter =
    (current.filter_subject ?? "") === (wanted.filter_subject ?? "") &&
    norm(current.filter_subjects ?? []) === norm(wanted.filter_subjects ?? []);
  return (
    !sameFilter ||
    current.ack_wait !== wanted.ack_wait ||
    current.max_deliver !== wanted.max_deliver ||
    current.max_ack_pending !== wanted.max_ack_pending
  );
};
