import type { Kysely } from "kysely";
import { runCommand } from "../../../../shared/aggregate/runCommand.js";
import type { ArnContext } from "../../../../shared/domain/arn.js";
import type { Database } from "../../../../shared/db/index.js";
import { webhookSubscriptionStream } from "../../../../shared/domain/streams.js";
import { EVENTS_NOTIFY_CHANNEL, type EventStore } from "../../../../shared/eventstore/index.js";
import { silentLogger, type Logger } from "../../../../shared/log/index.js";
import { LeaderSession } from "../../../../shared/relay/leaderSession.js";
import { Backoff, Wakeup } from "../../../../shared/relay/wakeup.js";
import { decidePauseWebhookSubscription } from "../decideWebhooks.js";
import { subjectMatches } from "../subjectFilter.js";
import { webhookSubscriptionAggregate } from "../webhookState.js";
import { recordDeliveryAttempt } from "./deliveryLog.js";
import {
  activeSubscriptions,
  isStillActive,
  saveDeliveryState,
  type DeliveryState,
  type DueSubscription,
} from "./deliveryState.js";
import { postEvent } from "./postEvent.js";
import { PublicEventSource, type WebhookEvent } from "./publicEventSource.js";
import { retryDelayMs } from "./retryDelay.js";

export interface WebhookDeliverySettings {
  /** The first retry's delay; each further failure doubles it, up to `retryMaxMs`. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** This many failed attempts in a row pause the subscription. */
  readonly pauseAfterFailures: number;
  /** How long one POST may take. */
  readonly timeoutMs: number;
  /** How often to look for work when no event notification arrives (a hint only). */
  readonly pollIntervalMs: number;
}

export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliverySettings = Object.freeze({
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
  pauseAfterFailures: 10,
  timeoutMs: 10_000,
  pollIntervalMs: 1_000,
});

export interface WebhookDelivererOptions {
  readonly db: Kysely<Database>;
  /** The same database; the deliverer holds its leadership lock on a connection of its own. */
  readonly databaseUrl: string;
  readonly store: EventStore;
  readonly arn: ArnContext;
  readonly log?: Logger;
  readonly clock?: () => Date;
  readonly settings?: Partial<WebhookDeliverySettings>;
  /** How often a standby replica tries to take the lead. Default 3000. */
  readonly standbyRetryMs?: number;
}

const LOCK = "flotilla.webhooks";
const ACTOR = "flotilla-webhooks";

/**
 * Delivers public events to webhook subscriptions: at least once, one event in
 * flight per subscription, in log order (hence in order per resource).
 *
 * - One scheduler replica delivers: it holds a session-level advisory lock, and
 *   writes every subscription's progress on that same session, so a replica
 *   that lost the lock can no longer move anyone's progress.
 * - Progress is the last recorded event fully delivered plus how many of the
 *   next one's public events were; it is saved after every success, so a
 *   restart re-sends at most the one event whose success was not yet saved.
 * - A failure keeps the subscription at its event and waits `retryBase · 2^n`
 *   (capped) before the next attempt; `pauseAfterFailures` failures in a row
 *   append WebhookSubscriptionPaused. Every attempt goes to the delivery log.
 */
export class WebhookDeliverer {
  private readonly log: Logger;
  private readonly settings: WebhookDeliverySettings;
  private readonly clock: () => Date;
  private readonly wake = new Wakeup();
  private readonly source: PublicEventSource;
  private readonly running = new Map<string, Promise<void>>();
  /**
   * Each subscription's progress as this leader last saved it. A pump starts
   * from here rather than from the row it listed: a listing read while a pump
   * was finishing may predate that pump's last save.
   */
  private readonly progress = new Map<string, DeliveryState>();
  private loop: Promise<void> | undefined;
  /** The leader session is one connection: its queries from concurrent pumps go one by one. */
  private sessionQueue: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private leading = false;

  constructor(private readonly options: WebhookDelivererOptions) {
    this.log = (options.log ?? silentLogger).child({ component: "webhooks" });
    this.settings = { ...DEFAULT_WEBHOOK_DELIVERY, ...options.settings };
    this.clock = options.clock ?? (() => new Date());
    this.source = new PublicEventSource(options.db, options.arn);
  }

  start(): this {
    this.loop ??= this.run().catch((err: unknown) => {
      this.log.error({ err }, "webhook delivery loop failed");
    });
    return this;
  }

  /** Whether this replica holds the lead. */
  get leader(): boolean {
    return this.leading;
  }

  /** Looks for work now (a hint; the poll finds it anyway). */
  poke(): void {
    this.wake.signal();
  }

  /** Lets the attempts in flight finish and gives up the lead. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.signal();
    await this.loop;
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(100, 5_000);
    while (!this.stopping) {
      let session: LeaderSession | undefined;
      try {
        session = await LeaderSession.open(this.options.databaseUrl, "flotilla-webhooks");
        session.onLost(() => this.wake.signal());
        if (!(await this.waitForLead(session))) break;
        await this.lead(session);
        backoff.reset();
      } catch (err) {
        this.log.warn({ err }, "webhook delivery session failed; retrying");
        await this.wake.sleep(backoff.next());
      } finally {
        this.leading = false;
        await Promise.allSettled(this.running.values());
        await session?.close();
      }
    }
  }

  private async waitForLead(session: LeaderSession): Promise<boolean> {
    while (!this.stopping) {
      if (await session.tryLock(LOCK)) return true;
      await this.wake.sleep(this.options.standbyRetryMs ?? 3_000);
      session.assertAlive();
    }
    return false;
  }

  private async lead(session: LeaderSession): Promise<void> {
    await session.listen(EVENTS_NOTIFY_CHANNEL, () => this.wake.signal());
    this.progress.clear();
    this.leading = true;
    this.log.info({}, "webhook delivery took the lead");
    while (!this.stopping) {
      session.assertAlive();
      let sleepMs = this.settings.pollIntervalMs;
      const now = this.clock().getTime();
      for (const listed of await activeSubscriptions(this.options.db)) {
        if (this.running.has(listed.subscriptionId)) continue;
        const sub = { ...listed, state: this.progress.get(listed.subscriptionId) ?? listed.state };
        const due = sub.state.nextAttemptAt?.getTime() ?? now;
        if (due > now) {
          sleepMs = Math.min(sleepMs, due - now);
          continue;
        }
        const pump = this.pump(session, sub)
          .catch((err: unknown) => {
            this.log.warn({ err, webhook: sub.name }, "webhook delivery failed; retrying");
          })
          .finally(() => {
            this.running.delete(sub.subscriptionId);
            this.wake.signal();
          });
        this.running.set(sub.subscriptionId, pump);
      }
      await this.wake.sleep(Math.max(10, sleepMs));
    }
  }

  /** Delivers one subscription's backlog until it is caught up, fails, or stops being ACTIVE. */
  private async pump(session: LeaderSession, sub: DueSubscription): Promise<void> {
    let state = sub.state;
    const save = async (next: DeliveryState) => {
      await this.onSession(() => saveDeliveryState(session.connection, sub.subscriptionId, next));
      this.progress.set(sub.subscriptionId, next);
    };
    for (;;) {
      if (this.stopping || session.lost) return;
      const page = await this.options.store.readAll(state.checkpoint, 200);
      if (page.events.length === 0) return;
      for (const recorded of page.events) {
        const matching = (await this.source.publicEventsOf(recorded)).filter((e) =>
          subjectMatches(sub.subjectFilter, e.subject),
        );
        for (let i = state.deliveredInEvent; i < matching.length; i++) {
          if (this.stopping || session.lost) return;
          if (!(await isStillActive(this.options.db, sub.subscriptionId))) return;
          const delivered = await this.attempt(sub, matching[i]!, state);
          if (delivered === undefined) {
            state = { ...state, deliveredInEvent: i + 1, consecutiveFailures: 0 };
            await save(state);
          } else {
            await save(delivered);
            return;
          }
        }
        state = {
          checkpoint: { transactionId: recorded.transactionId, position: recorded.position },
          deliveredInEvent: 0,
          consecutiveFailures: 0,
          nextAttemptAt: undefined,
        };
        if (matching.length > 0) await save(state);
      }
      await save(state);
    }
  }

  private onSession<T>(query: () => Promise<T>): Promise<T> {
    const result = this.sessionQueue.then(query);
    this.sessionQueue = result.catch(() => undefined);
    return result;
  }

  /** One POST, logged. Undefined on success, else the state to wait in (or pause with). */
  private async attempt(
    sub: DueSubscription,
    item: WebhookEvent,
    state: DeliveryState,
  ): Promise<DeliveryState | undefined> {
    const attemptedAt = this.clock();
    const attempt = state.consecutiveFailures + 1;
    const outcome = await postEvent({
      url: sub.targetUrl,
      secret: sub.secret,
      id: item.event.id,
      body: JSON.stringify(item.event),
      now: attemptedAt,
      timeoutMs: this.settings.timeoutMs,
    });
    const pause = !outcome.ok && attempt >= this.settings.pauseAfterFailures;
    const nextRetryAt =
      outcome.ok || pause
        ? undefined
        : new Date(
            this.clock().getTime() +
              retryDelayMs(attempt, this.settings.retryBaseMs, this.settings.retryMaxMs),
          );
    await recordDeliveryAttempt(this.options.db, {
      subscriptionId: sub.subscriptionId,
      subscriptionName: sub.name,
      eventId: item.event.id,
      eventType: item.event.type,
      subject: item.subject,
      attempt,
      succeeded: outcome.ok,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      attemptedAt,
      nextRetryAt,
    });
    if (outcome.ok) return undefined;
    this.log.info(
      { webhook: sub.name, eventId: item.event.id, attempt, error: outcome.error },
      "webhook delivery attempt failed",
    );
    if (!pause) return { ...state, consecutiveFailures: attempt, nextAttemptAt: nextRetryAt };
    await this.pauseSubscription(sub, attempt, outcome.error ?? "failed");
    return { ...state, consecutiveFailures: 0, nextAttemptAt: undefined };
  }

  private async pauseSubscription(sub: DueSubscription, failures: number, lastError: string) {
    const now = this.clock();
    await runCommand(
      this.options.store,
      webhookSubscriptionStream(sub.name),
      webhookSubscriptionAggregate,
      (state) =>
        decidePauseWebhookSubscription(
          {
            name: sub.name,
            subscriptionId: sub.subscriptionId,
            consecutiveFailures: failures,
            reason: `${failures} failed deliveries in a row; the last: ${lastError}`,
          },
          state,
          { now, arn: this.options.arn, actor: ACTOR },
        ),
      { actor: ACTOR, correlationId: `webhook-pause-${sub.subscriptionId}-${now.getTime()}` },
      () => undefined,
    );
    this.log.warn({ webhook: sub.name, failures }, "webhook subscription paused");
  }
}
