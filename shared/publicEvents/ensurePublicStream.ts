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
import type { EventStreamOptions } from "../relay/index.js";
import { publicStreamName } from "./publicEvent.js";
import { publicWildcard } from "./publicSubject.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export const publicStreamConfig = (
  prefix: string,
  options: EventStreamOptions = {},
): Partial<StreamConfig> & { name: string } => ({
  name: publicStreamName(prefix),
  description: "Flotilla public events (CloudEvents 1.0, EventBridge's ECS detail), in log order",
  subjects: [publicWildcard(prefix)],
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

/** Creates `<PREFIX>_PUBLIC` on `<prefix>.public.>`, or brings an existing one to this configuration. */
export const ensurePublicStream = async (
  jsm: JetStreamManager,
  prefix: string,
  options: EventStreamOptions = {},
): Promise<StreamInfo> => {
  const { name, storage: _storage, ...changeable } = publicStreamConfig(prefix, options);
  for (let attempt = 0; ; attempt++) {
    try {
      return await jsm.streams.update(name, changeable);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) {
        throw err;
      }
    }
    try {
      return await jsm.streams.add(publicStreamConfig(prefix, options));
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
};
