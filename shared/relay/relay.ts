import { jetstream, jetstreamManager, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import { eventStreamName } from "../bus/subjects.js";
import type { Database } from "../db/index.js";
import {
  EVENTS_NOTIFY_CHANNEL,
  START_OF_LOG,
  readAll,
  type Checkpoint,
  type RecordedEvent,
} from "../eventstore/index.js";
import { silentLogger, type Logger } from "../log/index.js";
import {
  checkpointOf,
  compareCheckpoints,
  endOfLog,
  loadCheckpoint,
  readStoredCheckpoint,
  saveCheckpoint,
} from "./checkpoint.js";
import { defaultSubjectFor } from "./defaultSubject.js";
import { ensureEventStream, type EventStreamOptions } from "./ensureEventStream.js";
import { eventHeaders, toEnvelope } from "./envelope.js";
import { LeaderSession } from "./leaderSession.js";
import { OrderedPublisher } from "./orderedPublisher.js";
import { Backoff, Broadcast, Wakeup } from "./wakeup.js";

export interface RelayOptions {
  readonly db: Kysely<Database>;
  /**
   * The same database's connection string. The relay opens one connection of
   * its own on it: the leader's advisory lock, LISTEN and checkpoint writes.
   */
  readonly databaseUrl: string;
  readonly nc: NatsConnection;
  readonly prefix: string;
  readonly log?: Logger;
  /** The subject of each event; defaults to `defaultSubjectFor(prefix)`. */
  readonly subjectFor?: (event: RecordedEvent) => string;
  /** Brings old event versions to today's shape before they are published. */
  readonly upcast?: (event: RecordedEvent) => RecordedEvent;
  /** Checkpoint name, and the name of the leadership lock. Default `relay`. */
  readonly name?: string;
  /** Events read per batch; the checkpoint is saved after each. Default 500. */
  readonly batchSize?: number;
  /** Poll interval when no notification arrives (the notification is a hint). Default 1000. */
  readonly pollIntervalMs?: number;
  /** How often a standby tries to take the leadership. Default 3000. */
  readonly standbyRetryMs?: number;
  /** How long to wait for JetStream's ack of one publish. Default 5000. */
  readonly publishTimeoutMs?: number;
  /** Create or update the events stream on taking the lead (default true), with these options. */
  readonly ensureStream?: boolean | EventStreamOptions;
  /**
   * Called after JetStream acknowledged an event and before the checkpoint
   * covers it; awaited, in log order. For metrics, and for crash tests.
   */
  readonly onPublished?: (event: RecordedEvent, ack: PubAck) => void | Promise<void>;
}

export interface RelayStatus {
  /** Whether this instance holds the leadership and is the one publishing. */
  readonly leader: boolean;
  /** The stored checkpoint as this instance last knew it (its own, while leader). */
  readonly checkpoint: Checkpoint;
  /** Events this instance published and JetStream acknowledged (duplicates included). */
  readonly published: number;
  /** Of those, how many JetStream dropped as duplicates of an earlier publish. */
  readonly duplicates: number;
  /** How many times this instance took the leadership. */
  readonly leaderTerms: number;
  readonly lastError: string | undefined;
}

export class RelayStoppedError extends Error {
  override readonly name = "RelayStoppedError";
}

/**
 * Relays the Postgres event log to JetStream, in log order, at least once per
 * event and exactly once within the stream's duplicate window.
 *
 * - Leadership: one relay per database (per `name`) publishes; it holds a
 *   session-level advisory lock on a connection of its own. Standbys retry
 *   every `standbyRetryMs`. When the leader's session ends, Postgres releases
 *   the lock and the relay stops publishing at once, since its checkpoint
 *   writes go through that same session.
 * - Crash safety: each event is published with `Nats-Msg-Id` = its event id;
 *   the checkpoint is saved only after JetStream acknowledged it and every
 *   event before it. A crash between the ack and the save re-publishes those
 *   events on restart, and JetStream drops them as duplicates. Up to 128
 *   publishes are in flight, each expecting the one before it as the stream's
 *   last message, so one lost makes the later ones fail rather than overtake
 *   it (OrderedPublisher).
 * - Errors (NATS or Postgres) back off and retry from the last acknowledged
 *   event; nothing is skipped and nothing is reordered. An event JetStream
 *   keeps refusing (no stream on its subject, too large) stops the relay at
 *   that event, logged, until it is fixed: the log is never skipped.
 */
export class Relay {
  readonly name: string;
  private readonly log: Logger;
  private readonly js: JetStreamClient;
  private readonly publisher: OrderedPublisher;
  private readonly streamName: string;
  private readonly subjectFor: (event: RecordedEvent) => string;
  private readonly wake = new Wakeup();
  private readonly progress = new Broadcast();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private stopped = false;
  private leader = false;
  private streamReady = false;
  /** The last event JetStream acknowledged while this instance leads. */
  private acked: Checkpoint = START_OF_LOG;
  /** The checkpoint in the database, as last written or read by this instance. */
  private saved: Checkpoint = START_OF_LOG;
  private published = 0;
  private duplicates = 0;
  private leaderTerms = 0;
  private lastError: string | undefined;

  constructor(private readonly options: RelayOptions) {
    this.name = options.name ?? "relay";
    this.log = (options.log ?? silentLogger).child({ component: "relay", relay: this.name });
    this.js = jetstream(options.nc, { timeout: options.publishTimeoutMs ?? 5_000 });
    this.streamName = eventStreamName(options.prefix);
    this.publisher = new OrderedPublisher(this.js, this.streamName);
    this.subjectFor = options.subjectFor ?? defaultSubjectFor(options.prefix);
  }

  /** Starts the relay loop in the background; returns at once. */
  start(): this {
    if (this.loop) return this;
    this.loop = this.run().catch((err: unknown) => {
      this.log.error({ err }, "relay loop failed");
    });
    return this;
  }

  get status(): RelayStatus {
    return {
      leader: this.leader,
      checkpoint: this.saved,
      published: this.published,
      duplicates: this.duplicates,
      leaderTerms: this.leaderTerms,
      lastError: this.lastError,
    };
  }

  /**
   * Resolves once the stored checkpoint has reached the end of the log as it
   * was (committed) when called; whichever relay instance is leading moves it.
   * Rejects when this relay is stopped, or after `timeoutMs` if given. A failed
   * query (a Postgres restart) is retried until then.
   */
  async whenCaughtUp(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const poll = Math.min(this.options.pollIntervalMs ?? 1_000, 250);
    let target: Checkpoint | undefined | null = null;
    let current: Checkpoint = this.saved;
    let lastError: unknown;
    for (;;) {
      if (this.stopped || this.stopping) throw new RelayStoppedError("relay stopped");
      try {
        if (target === null) target = await endOfLog(this.options.db);
        if (target === undefined) return;
        current = this.leader ? this.saved : await readStoredCheckpoint(this.options.db, this.name);
        if (!this.leader && compareCheckpoints(current, this.saved) > 0) this.saved = current;
        if (compareCheckpoints(current, target) >= 0) return;
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `relay ${this.name} not caught up within ${options.timeoutMs}ms: at ` +
            `${JSON.stringify(current)}, end of log ${JSON.stringify(target)}`,
          lastError === undefined ? undefined : { cause: lastError },
        );
      }
      await this.progress.wait(Math.min(poll, Math.max(0, deadline - Date.now())));
    }
  }

  /** Finishes the event in flight, saves the checkpoint, gives up the leadership. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.signal();
    this.progress.notify();
    await this.loop;
    this.stopped = true;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(100, 5_000);
    const appName = `flotilla-relay-${this.name}`.slice(0, 63);
    while (!this.stopping) {
      let session: LeaderSession | undefined;
      try {
        session = await LeaderSession.open(this.options.databaseUrl, appName);
        session.onLost(() => this.wake.signal());
        if (!(await this.waitForLeadership(session))) break;
        await this.lead(session);
        backoff.reset();
      } catch (err) {
        this.fail(err, "relay session failed; retrying");
        await this.wake.sleep(backoff.next());
      } finally {
        if (this.leader) this.log.info({ checkpoint: this.saved }, "relay leadership released");
        this.leader = false;
        await session?.close();
      }
    }
  }

  /** Returns true once this session holds the lock, false when stopping. */
  private async waitForLeadership(session: LeaderSession): Promise<boolean> {
    let announced = false;
    while (!this.stopping) {
      if (await session.tryLock(`flotilla.relay:${this.name}`)) return true;
      if (!announced) this.log.info({}, "another relay leads; standing by");
      announced = true;
      await this.wake.sleep(this.options.standbyRetryMs ?? 3_000);
      session.assertAlive();
    }
    return false;
  }

  private async lead(session: LeaderSession): Promise<void> {
    await session.listen(EVENTS_NOTIFY_CHANNEL, () => this.wake.signal());
    this.saved = await loadCheckpoint(session.connection, this.name);
    this.acked = this.saved;
    this.leader = true;
    this.leaderTerms++;
    this.streamReady = false;
    this.log.info({ checkpoint: this.saved }, "relay took the leadership");
    this.progress.notify();
    const backoff = new Backoff(100, 5_000);
    const batchSize = this.options.batchSize ?? 500;
    const pollIntervalMs = this.options.pollIntervalMs ?? 1_000;
    while (!this.stopping) {
      session.assertAlive();
      try {
        await this.ensureStream();
        const page = await readAll(this.options.db, this.acked, batchSize);
        if (page.events.length === 0) {
          await session.ping();
          await this.wake.sleep(pollIntervalMs);
          continue;
        }
        try {
          for (const event of page.events) {
            if (this.stopping || session.lost) break;
            await this.publish(this.options.upcast ? this.options.upcast(event) : event);
          }
          await this.publisher.flush();
        } catch (err) {
          this.publisher.abandon();
          throw err;
        } finally {
          if (compareCheckpoints(this.acked, this.saved) > 0) {
            await saveCheckpoint(session.connection, this.name, this.acked);
            this.saved = this.acked;
            this.progress.notify();
          }
        }
        backoff.reset();
        this.lastError = undefined;
      } catch (err) {
        if (session.lost) throw err;
        this.streamReady = false;
        this.fail(err, "relay batch failed; retrying from the last acknowledged event");
        await this.wake.sleep(backoff.next());
      }
    }
  }

  private async ensureStream(): Promise<void> {
    const ensure = this.options.ensureStream ?? true;
    if (this.streamReady || ensure === false) return;
    const jsm = await jetstreamManager(this.options.nc);
    await ensureEventStream(jsm, this.options.prefix, ensure === true ? {} : ensure);
    this.streamReady = true;
  }

  /** Sends the event; once it and all before it are acknowledged, the checkpoint may cover it. */
  private async publish(event: RecordedEvent): Promise<void> {
    await this.publisher.publish(
      {
        subject: this.subjectFor(event),
        payload: JSON.stringify(toEnvelope(event)),
        msgID: event.eventId,
        headers: eventHeaders(event),
      },
      async (ack) => {
        this.acked = checkpointOf(event);
        this.published++;
        if (ack.duplicate) this.duplicates++;
        await this.options.onPublished?.(event, ack);
      },
    );
  }

  private fail(err: unknown, msg: string): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.log.warn({ err }, msg);
  }
}

/** Creates a relay and starts it. */
export const startRelay = (options: RelayOptions): Relay => new Relay(options).start();
