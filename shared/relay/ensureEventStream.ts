import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from "@nats-io/jetstream";
import { nanos } from "@nats-io/nats-core";
import { eventStreamName, eventsWildcard } from "../bus/subjects.js";

export interface EventStreamOptions {
  /** Window in which a repeated Nats-Msg-Id is dropped as a duplicate. Default 2 minutes. */
  readonly duplicateWindowMs?: number;
  /** Oldest event kept. Default 30 days; Postgres holds the full history. */
  readonly maxAgeMs?: number;
  /**
   * Total size kept; the oldest events go first beyond it. Default -1 (bounded
   * by `maxAgeMs` only): JetStream reserves a stream's `max_bytes` from the
   * server's store up front, so a large default fails with "insufficient
   * storage resources" once a few streams exist (every test makes one).
   */
  readonly maxBytes?: number;
  /** Largest single event message. Default 1 MiB. */
  readonly maxMsgSize?: number;
  readonly replicas?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** What tells one log-ordered stream from another: its name, description and subjects. */
export interface LogStreamIdentity {
  readonly name: string;
  readonly description: string;
  readonly subjects: readonly string[];
}

/**
 * The configuration of a stream the log is relayed into (the domain events, the
 * public events): limits retention, file storage, the duplicate window that
 * makes `Nats-Msg-Id` = position dedupe a relay's restart.
 */
export const logStreamConfig = (
  identity: LogStreamIdentity,
  options: EventStreamOptions = {},
): Partial<StreamConfig> & { name: string } => ({
  name: identity.name,
  description: identity.description,
  subjects: [...identity.subjects],
  retention: RetentionPolicy.Limits,
  storage: StorageType.File,
  discard: DiscardPolicy.Old,
  duplicate_window: nanos(options.duplicateWindowMs ?? 2 * 60 * 1000),
  max_age: nanos(options.maxAgeMs ?? 30 * DAY_MS),
  max_bytes: options.maxBytes ?? -1,
  max_msg_size: options.maxMsgSize ?? 1024 * 1024,
  max_msgs: -1,
  max_msgs_per_subject: -1,
  num_replicas: options.replicas ?? 1,
});

export const eventStreamConfig = (
  prefix: string,
  options: EventStreamOptions = {},
): Partial<StreamConfig> & { name: string } =>
  logStreamConfig(
    {
      name: eventStreamName(prefix),
      description: "Flotilla domain events, relayed from the Postgres event log in log order",
      subjects: [eventsWildcard(prefix)],
    },
    options,
  );

const isStreamNotFound = (err: unknown): boolean =>
  err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

/**
 * Creates a log stream, or brings an existing one to this configuration. Safe
 * to call from several processes at once.
 */
export const ensureLogStream = async (
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<StreamInfo> => {
  const { name, storage: _storage, ...changeable } = config;
  for (let attempt = 0; ; attempt++) {
    try {
      return await jsm.streams.update(name, changeable);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    try {
      return await jsm.streams.add(config);
    } catch (err) {
      // Somebody else created it between our two calls: update theirs.
      if (attempt >= 2) throw err;
    }
  }
};

/** Creates the events stream `<PREFIX>_EVENTS` on `<prefix>.evt.>`, or updates it. */
export const ensureEventStream = (
  jsm: JetStreamManager,
  prefix: string,
  options: EventStreamOptions = {},
): Promise<StreamInfo> => ensureLogStream(jsm, eventStreamConfig(prefix, options));
