import { jetstream, jetstreamManager, type JetStreamClient, type PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders, type NatsConnection } from "@nats-io/nats-core";
import type { Kysely } from "kysely";
import type { Database } from "../db/index.js";
import type { ArnContext } from "../domain/arn.js";
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
} from "../relay/checkpoint.js";
import type { EventStreamOptions } from "../relay/index.js";
import { LeaderSession } from "../relay/leaderSession.js";
import { OrderedPublisher } from "../relay/orderedPublisher.js";
import { Backoff, Broadcast, Wakeup } from "../relay/wakeup.js";
import { ensurePublicStream } from "./ensurePublicStream.js";
import { publicStreamName } from "./publicEvent.js";
import type { AnyPublicEvent } from "./publicEventTypes.js";
import { publicSubject } from "./publicSubject.js";
import { ResourceFolder } from "./resourceFolder.js";
import { toPublicEvents } from "./toPublicEvents.js";

export interface PublicRelayOptions {
  readonly db: Kysely<Database>;
  /** The same database's connection string: the leader's own session (lock, LISTEN, checkpoint). */
  readonly databaseUrl: string;
  readonly nc: NatsConnection;
  readonly prefix: string;
  /** Region and account: the ARNs and the CloudEvents `source`. */
  readonly arn: ArnContext;
  readonly log?: Logger;
  readonly upcast?: (event: RecordedEvent) => RecordedEvent;
  /** Checkpoint name and leadership lock name. Default `public-relay`. */
  readonly name?: string;
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  readonly standbyRetryMs?: number;
  readonly publishTimeoutMs?: number;
  /** Create or update the public stream on taking the lead (default true), with these options. */
  readonly ensureStream?: boolean | EventStreamOptions;
  /** After JetStream acknowledged a public event, before the checkpoint covers it; awaited. */
  readonly onPublished?: (
    event: AnyPublicEvent,
    ack: PubAck,
    recorded: RecordedEvent,
  ) => void | Promise<void>;
}

export interface PublicRelayStatus {
  readonly leader: boolean;
  readonly checkpoint: Checkpoint;
  /** Public events published and acknowledged (duplicates included). */
  readonly published: number;
  /** Of those, how many JetStream dropped as duplicates (`Nats-Msg-Id`). */
  readonly duplicates: number;
  readonly lastError: string | undefined;
}

/**
 * Relays the log to the public stream `<PREFIX>_PUBLIC`, the same way the
 * domain relay (shared/relay) relays it to `<PREFIX>_EVENTS`: one leader per
 * database by advisory lock, the log read below xmin in log order, each public
 * event published with `Nats-Msg-Id` = its id (the log position, `-<n>` for a
 * second one from the same event) in order through an OrderedPublisher (up to
 * 128 in flight, none able to overtake a lost one), the checkpoint saved on the
 * leader's session only after the acks. A restart re-publishes at most what
 * followed the checkpoint, and JetStream drops those as duplicates.
 */
export class PublicRelay {
  readonly name: string;
  private readonly log: Logger;
  private readonly js: JetStreamClient;
  private readonly publisher: OrderedPublisher;
  private readonly streamName: string;
  private readonly folder: ResourceFolder;
  private readonly upcast: (event: RecordedEvent) => RecordedEvent;
  private readonly wake = new Wakeup();
  private readonly progress = new Broadcast();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private leader = false;
  private streamReady = false;
  private acked: Checkpoint = START_OF_LOG;
  private saved: Checkpoint = START_OF_LOG;
  private published = 0;
  private duplicates = 0;
  private lastError: string | undefined;

  constructor(private readonly options: PublicRelayOptions) {
    this.name = options.name ?? "public-relay";
    this.log = (options.log ?? silentLogger).child({ component: "publicRelay", relay: this.name });
    this.js = jetstream(options.nc, { timeout: options.publishTimeoutMs ?? 5_000 });
    this.streamName = publicStreamName(options.prefix);
    this.publisher = new OrderedPublisher(this.js, this.streamName);
    this.upcast = options.upcast ?? ((e) => e);
    this.folder = new ResourceFolder(options.db, this.upcast);
  }

  start(): this {
    this.loop ??= this.run().catch((err: unknown) => {
      this.log.error({ err }, "public relay loop failed");
    });
    return this;
  }

  get status(): PublicRelayStatus {
    return {
      leader: this.leader,
      checkpoint: this.saved,
      published: this.published,
      duplicates: this.duplicates,
      lastError: this.lastError,
    };
  }

  /** Resolves once the stored checkpoint reached the end of the log as it was when called. */
  async whenCaughtUp(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? Infinity);
    const target = await endOfLog(this.options.db);
    if (target === undefined) return;
    for (;;) {
      if (this.stopping) throw new Error(`public relay ${this.name} stopped`);
      const current = this.leader
        ? this.saved
        : await readStoredCheckpoint(this.options.db, this.name);
      if (compareCheckpoints(current, target) >= 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`public relay ${this.name} not caught up within ${options.timeoutMs}ms`);
      }
      await this.progress.wait(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }

  /** Finishes the event in flight, saves the checkpoint, gives up the leadership. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.signal();
    this.progress.notify();
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(100, 5_000);
    while (!this.stopping) {
      let session: LeaderSession | undefined;
      try {
        session = await LeaderSession.open(
          this.options.databaseUrl,
          `flotilla-${this.name}`.slice(0, 63),
        );
        session.onLost(() => this.wake.signal());
        if (!(await this.waitForLeadership(session))) break;
        await this.lead(session);
        backoff.reset();
      } catch (err) {
        this.fail(err, "public relay session failed; retrying");
        await this.wake.sleep(backoff.next());
      } finally {
        this.leader = false;
        await session?.close();
      }
    }
  }

  private async waitForLeadership(session: LeaderSession): Promise<boolean> {
    while (!this.stopping) {
      if (await session.tryLock(`flotilla.relay:${this.name}`)) return true;
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
    this.streamReady = false;
    this.log.info({ checkpoint: this.saved }, "public relay took the leadership");
    this.progress.notify();
    const backoff = new Backoff(100, 5_000);
    while (!this.stopping) {
      session.assertAlive();
      try {
        await this.ensureStream();
        const page = await readAll(this.options.db, this.acked, this.options.batchSize ?? 500);
        if (page.events.length === 0) {
          await session.ping();
          await this.wake.sleep(this.options.pollIntervalMs ?? 1_000);
          continue;
        }
        try {
          for (const event of page.events) {
            if (this.stopping || session.lost) break;
            await this.relay(this.upcast(event));
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
        this.fail(err, "public relay batch failed; retrying from the last acknowledged event");
        await this.wake.sleep(backoff.next());
      }
    }
  }

  private async ensureStream(): Promise<void> {
    const ensure = this.options.ensureStream ?? true;
    if (this.streamReady || ensure === false) return;
    const jsm = await jetstreamManager(this.options.nc);
    await ensurePublicStream(jsm, this.options.prefix, ensure === true ? {} : ensure);
    this.streamReady = true;
  }

  /**
   * Sends the public events of one recorded event, in order; once they and
   * everything before them are acknowledged, the event counts as relayed.
   */
  private async relay(event: RecordedEvent): Promise<void> {
    const state = await this.folder.stateAfter(event);
    for (const pub of toPublicEvents(event, { arn: this.options.arn, state })) {
      const headers = natsHeaders();
      headers.set("Content-Type", "application/cloudevents+json");
      headers.set("ce-type", pub.type);
      headers.set("ce-subject", pub.subject);
      await this.publisher.publish(
        {
          subject: publicSubject(this.options.prefix, pub),
          payload: JSON.stringify(pub),
          msgID: pub.id,
          headers,
        },
        async (ack) => {
          this.published++;
          if (ack.duplicate) this.duplicates++;
          await this.options.onPublished?.(pub, ack, event);
        },
      );
    }
    await this.publisher.then(() => {
      this.acked = checkpointOf(event);
    });
  }

  private fail(err: unknown, msg: string): void {
    this.lastError = err instanceof Error ? err.message : String(err);
    this.log.warn({ err }, msg);
  }
}

export const startPublicRelay = (options: PublicRelayOptions): PublicRelay =>
  new PublicRelay(options).start();
