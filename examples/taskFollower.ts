/**
 * The core of examples/followTasks.ts: follows "ECS Task State Change" events
 * on Flotilla's public stream from a durable JetStream consumer. The consumer
 * lives on the server, so a follower that stops (or is killed) and starts
 * again with the same durable name resumes at the first event it did not
 * acknowledge. It acknowledges each event only after handling it: delivery is
 * at least once, in stream order (one event in flight at a time), and
 * `version` (per task) lets it drop what it already saw.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { nanos, type NatsConnection } from "@nats-io/nats-core";

export interface TaskChange {
  /** The CloudEvents id: unique per event, the same on a redelivery. */
  readonly id: string;
  readonly time: string;
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** Increases with every change of this task. */
  readonly version: number;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
}

export interface FollowTasksOptions {
  readonly nc: NatsConnection;
  /** The installation's subject prefix (FLOTILLA_PREFIX), `flotilla` by default. */
  readonly prefix: string;
  /** The durable consumer's name: the bookmark on the server. */
  readonly durable: string;
  /** Only this cluster's tasks (default: every cluster). */
  readonly cluster?: string;
  /** How long an unacknowledged event waits before it is redelivered. Default 30 s. */
  readonly ackWaitMs?: number;
  /** Handles one change; the event is acknowledged once this resolves. */
  readonly onChange: (change: TaskChange) => void | Promise<void>;
  /** Stops following; an event being handled when it fires is left unacknowledged. */
  readonly signal: AbortSignal;
  /** The last version handled per task (pass a persisted map to dedupe across restarts). */
  readonly seen?: Map<string, number>;
}

const streamName = (prefix: string): string => `${prefix.toUpperCase()}_PUBLIC`;

/** Creates the durable consumer, or finds it as a previous run left it. */
const ensureConsumer = async (options: FollowTasksOptions): Promise<void> => {
  const jsm = await jetstreamManager(options.nc);
  const config = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `${options.prefix}.public.${options.cluster ?? "*"}.task.>`,
    ack_wait: nanos(options.ackWaitMs ?? 30_000),
    // One unacknowledged event at a time: delivery stays in stream order even
    // when an event is redelivered, so an event whose version is not above the
    // last one handled for its task really is a duplicate, never a late original.
    max_ack_pending: 1,
  };
  try {
    await jsm.consumers.info(streamName(options.prefix), options.durable);
    await jsm.consumers.update(streamName(options.prefix), options.durable, config);
  } catch {
    await jsm.consumers.add(streamName(options.prefix), config);
  }
};

const toChange = (event: {
  id: string;
  time: string;
  data: Record<string, unknown>;
}): TaskChange => ({
  id: event.id,
  time: event.time,
  taskArn: String(event.data.taskArn),
  lastStatus: String(event.data.lastStatus),
  desiredStatus: String(event.data.desiredStatus),
  version: Number(event.data.version),
  ...(typeof event.data.stopCode === "string" ? { stopCode: event.data.stopCode } : {}),
  ...(typeof event.data.stoppedReason === "string"
    ? { stoppedReason: event.data.stoppedReason }
    : {}),
});

/** Follows task changes until `signal` fires; resolves then. */
export const followTaskChanges = async (options: FollowTasksOptions): Promise<void> => {
  if (options.signal.aborted) return;
  await ensureConsumer(options);
  const seen = options.seen ?? new Map<string, number>();
  const consumer = await jetstream(options.nc).consumers.get(
    streamName(options.prefix),
    options.durable,
  );
  const messages = await consumer.consume({ max_messages: 1 });
  const stop = () => void messages.stop();
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const msg of messages) {
      if (options.signal.aborted) break;
      const change = toChange(msg.json());
      if (change.version > (seen.get(change.taskArn) ?? 0)) {
        await options.onChange(change);
        // Stopped while handling: leave it unacknowledged, so it comes again.
        if (options.signal.aborted) break;
        seen.set(change.taskArn, change.version);
      }
      await msg.ackAck();
    }
  } finally {
    options.signal.removeEventListener("abort", stop);
    stop();
  }
};
