import type { JetStreamManager, StreamConfig, StreamInfo } from "@nats-io/jetstream";
import { ensureLogStream, logStreamConfig, type EventStreamOptions } from "../relay/index.js";
import { publicStreamName } from "./publicEvent.js";
import { publicWildcard } from "./publicSubject.js";

export const publicStreamConfig = (
  prefix: string,
  options: EventStreamOptions = {},
): Partial<StreamConfig> & { name: string } =>
  logStreamConfig(
    {
      name: publicStreamName(prefix),
      description:
        "Flotilla public events (CloudEvents 1.0, EventBridge's ECS detail), in log order",
      subjects: [publicWildcard(prefix)],
    },
    options,
  );

/** Creates `<PREFIX>_PUBLIC` on `<prefix>.public.>`, or brings an existing one to this configuration. */
export const ensurePublicStream = (
  jsm: JetStreamManager,
  prefix: string,
  options: EventStreamOptions = {},
): Promise<StreamInfo> => ensureLogStream(jsm, publicStreamConfig(prefix, options));
