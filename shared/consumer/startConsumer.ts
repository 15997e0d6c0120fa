import {
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { eventStreamName, eventsWildcard } from "../bus/subjects.js";
import type { Checkpoint, RecordedEvent } from "../eventstore/index.js";
import { silentLogger, type Logger } from "../log/index.js";
import { checkpointOf, compareCheckpoints, parseEnvelope } from "../relay/index.js";
import { Backoff, Broadcast, Wakeup } from "../relay/wakeup.js";
import { ensureDurable, serverAtLeast } from "./ensureDurable.js";
import { isRetryable, nakDelay } from "./retry.js";
import { subjectMatches } from "./subjectMatch.js";

export interface ConsumerOptions<E = RecordedEvent> {
  readonly nc: NatsConnection;
  readonly prefix: string;
  /** The durable consumer's name: progress survives restarts under it. Replicas share it. */
  readonly durableName: string;
  /** Event subjects to receive (wildcards allowed). Default: every event, `<prefix>.evt.>`. */
  readonly filterSubjects?: readonly string[];
  /**
   * Handles one event. Resolve to have it acked; throw to have it retried
   * (`nak` with a growing delay) or, when the error says `retryable: false`,
   * terminated. Must be idempotent: an event can come again after a crash or
   * a restart of this process (see `startConsumer`).
   */
  readonly handle: (event: E, msg: JsMsg) => Promise<void> | void;
  /** Turns the recorded event into the handler's type (upcast, validate). A throw is a poison message. */
  readonly decode?: (event: RecordedEvent) => E;
  readonly log?: Logger;
  /** How long JetStream waits for an ack before redelivering. Default 30 s; keep it above the handler's time. */
  readonly ackWaitMs?: number;
  /** Deliveries of one event before it is given up (terminated). Default 10; -1 for no limit. */
  readonly maxDeliver?: number;
  /** First redelivery delay after a retryable failure; doubles each time. Default 1 s. */
  readonly nakDelayMs?: number;
  /** Longest redelivery delay. Default 60 s. */
  readonly maxNakDelayMs?: number;
  /** Where a new durable starts: every event in the stream (default) or only new ones. */
  readonly deliverPolicy?: "all" | "new";
}

export interface ConsumerStatus {
  /** Events the handler completed. */
  readonly handled: number;
  /** Events skipped as already handled (at or below `lastHandled`). */
  readonly skipped: number;
  /** Handler failures sent back for redelivery. */
  readonly retried: number;
  /** Messages terminated: malformed, non-retryable failure, or out of deliveries. */
  readonly terminated: number;
  /** The log place of the last event handled or given up, by this process. */
  readonly lastHandled: Checkpoint | undefined;
}

export interface EventConsumer {
  readonly durableName: string;
  readonly status: ConsumerStatus;
  /**
   * Resolves when every event that was in the stream when called (and that
   * matches the filter) has been handled or terminated. Rejects after
   * `timeoutMs` if given, or when the consumer is stopped.
   */
  whenCaughtUp(options?: { timeoutMs?: number }): Promise<void>;
  /** Stops fetching, waits for the handler in progress, leaves the durable in place. */
  stop(): Promise<void>;
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Starts a durable pull consumer on the events stream and feeds each event to
 * `handle`, one at a time, in stream (= log) order.
 *
 * Idempotency: the consumer remembers the log place — (transaction id,
 * position), the relay's order; positions alone are not monotonic in it — of
 * the last event it handled and acks without handling anything at or below
 * it, which absorbs redeliveries and duplicates the relay may publish beyond
 * JetStream's duplicate window. That memory lives in this process only:
 * after a restart, the last event handled before an unacked crash is
 * delivered again, so handlers must be idempotent across restarts too (check
 * the event's position against the read model's `last_position`, or use the
 * event id as an idempotency key).
 */
export const startConsumer = async <E = RecordedEvent>(
  options: ConsumerOptions<E>,
): Promise<EventConsumer> => {
  const consumer = new DurableEventConsumer<E>(options);
  await consumer.start();
  return consumer;
};

class DurableEventConsumer<E> implements EventConsumer {
  readonly durableName: string;
  private readonly log: Logger;
  private readonly stream: string;
  private readonly ackWaitMs: number;
  private readonly progress = new Broadcast();
  private readonly wake = new Wakeup();
  private jsm!: JetStreamManager;
  private clientFilter: readonly string[] | undefined;
  private readonly termReasons: boolean;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private inFlight = false;
  private lastHandled: Checkpoint | undefined;
  private counts = { handled: 0, skipped: 0, retried: 0, terminated: 0 };

  constructor(private readonly options: ConsumerOptions<E>) {
    this.durableName = options.durableName;
    this.stream = eventStreamName(options.prefix);
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.termReasons = serverAtLeast(options.nc, 2, 10);
    this.log = (options.log ?? silentLogger).child({
      component: "consumer",
      consumer: options.durableName,
    });
  }

  get status(): ConsumerStatus {
    return { ...this.counts, lastHandled: this.lastHandled };
  }

  async start(): Promise<void> {
    this.jsm = await jetstreamManager(this.options.nc);
    const bound = await ensureDurable(
      this.options.nc,
      this.jsm,
      {
        prefix: this.options.prefix,
        durableName: this.durableName,
        filterSubjects: this.options.filterSubjects ?? [eventsWildcard(this.options.prefix)],
        ackWaitMs: this.ackWaitMs,
        maxDeliver: this.options.maxDeliver ?? 10,
        deliverPolicy: this.options.deliverPolicy ?? "all",
      },
      this.log,
    );
    this.clientFilter = bound.clientFilter;
    this.loop = this.run();
  }

  async whenCaughtUp(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    let target: number | undefined;
    let state = "no consumer info yet";
    let lastError: unknown;
    for (;;) {
      if (this.stopping) throw new Error(`consumer ${this.durableName} stopped`);
      try {
        target ??= (await this.jsm.streams.info(this.stream)).state.last_seq;
        const ci = await this.jsm.consumers.info(this.stream, this.durableName);
        // Everything up to the target is acked or terminated; or nothing that
        // matches the filter is left undelivered or unacked at all.
        if (ci.ack_floor.stream_seq >= target) return;
        if (ci.num_pending === 0 && ci.num_ack_pending === 0 && !this.inFlight) return;
        state =
          `ack floor ${ci.ack_floor.stream_seq} of ${target}, ${ci.num_pending} pending, ` +
          `${ci.num_ack_pending} unacked`;
        lastError = undefined;
      } catch (err) {
        // NATS unreachable for a moment: ask again until the deadline.
        lastError = err;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `consumer ${this.durableName} not caught up within ${options.timeoutMs}ms: ${state}`,
          lastError === undefined ? undefined : { cause: lastError },
        );
      }
      await this.progress.wait(Math.min(100, Math.max(0, deadline - Date.now())));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.progress.notify();
    this.wake.signal();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(200, 5_000);
    const js = jetstream(this.options.nc);
    while (!this.stopping) {
      try {
        const consumer = await js.consumers.get(this.stream, this.durableName);
        this.messages = await consumer.consume({ max_messages: 16 });
        if (this.stopping) await this.messages.close();
        void this.watchStatus(this.messages);
        for await (const msg of this.messages) {
          await this.process(msg);
          backoff.reset();
          if (this.stopping) break;
        }
        if (!this.stopping) {
          this.log.warn({}, "consumer subscription ended; resubscribing");
          await this.wake.sleep(backoff.next());
        }
      } catch (err) {
        if (this.stopping) break;
        this.log.warn({ err }, "consumer loop failed; resubscribing");
        await this.wake.sleep(backoff.next());
      }
    }
  }

  private async watchStatus(messages: ConsumerMessages): Promise<void> {
    try {
      for await (const s of messages.status()) {
        if (s.type === "heartbeats_missed" || s.type === "consumer_not_found") {
          this.log.warn({ status: s.type }, `consumer ${s.type}`);
        } else {
          this.log.debug({ status: s.type }, `consumer ${s.type}`);
        }
      }
    } catch {
      // the iterator ends with the subscription
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    this.inFlight = true;
    try {
      await this.processOne(msg);
    } finally {
      this.inFlight = false;
      this.progress.notify();
    }
  }

  private async processOne(msg: JsMsg): Promise<void> {
    const mlog = this.log.child({ subject: msg.subject, seq: msg.seq });
    if (this.clientFilter && !this.clientFilter.some((f) => subjectMatches(f, msg.subject))) {
      await this.ack(msg, mlog);
      return;
    }
    let recorded: RecordedEvent;
    let event: E;
    try {
      recorded = parseEnvelope(msg.data);
      event = this.options.decode ? this.options.decode(recorded) : (recorded as E);
    } catch (err) {
      mlog.error({ err }, "poison message: not a valid event; terminated");
      this.term(msg, `invalid event: ${errorMessage(err)}`);
      this.counts.terminated++;
      return;
    }
    const place = checkpointOf(recorded);
    if (this.lastHandled !== undefined && compareCheckpoints(place, this.lastHandled) <= 0) {
      this.counts.skipped++;
      await this.ack(msg, mlog);
      return;
    }
    const elog = mlog.child({ position: recorded.position, type: recorded.type });
    // Tell JetStream we are still at it, so a slow handler is not redelivered meanwhile.
    const working = setInterval(() => msg.working(), Math.max(50, Math.floor(this.ackWaitMs / 3)));
    try {
      await this.options.handle(event, msg);
    } catch (err) {
      this.fail(msg, place, err, elog);
      return;
    } finally {
      clearInterval(working);
    }
    this.lastHandled = place;
    this.counts.handled++;
    await this.ack(msg, elog);
  }

  private fail(msg: JsMsg, place: Checkpoint, err: unknown, log: Logger): void {
    const deliveries = msg.info.deliveryCount;
    const maxDeliver = this.options.maxDeliver ?? 10;
    if (!isRetryable(err) || (maxDeliver > 0 && deliveries >= maxDeliver)) {
      log.error(
        { err, deliveries },
        isRetryable(err)
          ? "event handler kept failing; giving the event up (terminated)"
          : "event handler failed with a non-retryable error; terminated",
      );
      this.term(msg, errorMessage(err));
      this.lastHandled = place;
      this.counts.terminated++;
      return;
    }
    const delay = nakDelay(
      deliveries,
      this.options.nakDelayMs ?? 1_000,
      this.options.maxNakDelayMs ?? 60_000,
    );
    log.warn({ err, deliveries, delayMs: delay }, "event handler failed; will retry");
    msg.nak(delay);
    this.counts.retried++;
  }

  /**
   * nats-server before 2.10 matches `+TERM` exactly and silently ignores a
   * term that carries a reason, so the reason is only sent to newer servers.
   */
  private term(msg: JsMsg, reason: string): void {
    if (this.termReasons) msg.term(reason.replace(/\s+/g, " ").slice(0, 200));
    else msg.term();
  }

  /** Acks and waits for JetStream to confirm, so progress is real when we report it. */
  private async ack(msg: JsMsg, log: Logger): Promise<void> {
    try {
      await msg.ackAck({ timeout: 5_000 });
    } catch (err) {
      // The event is redelivered after ack wait; `lastHandled` makes that a no-op.
      log.warn({ err }, "ack not confirmed");
    }
  }
}
