import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/nats-core";

export interface OrderedMessage {
  readonly subject: string;
  readonly payload: string;
  /** `Nats-Msg-Id`: JetStream drops a second message of the same id as a duplicate. */
  readonly msgID: string;
  readonly headers?: MsgHdrs;
}

interface Pending {
  /** The publish's ack; none for a step that only waits its turn (`then`). */
  readonly ack: Promise<PubAck> | undefined;
  readonly onAck: (ack: PubAck | undefined) => void | Promise<void>;
}

/**
 * Publishes to one JetStream stream in order with up to `window` acks
 * outstanding, so that a relay no longer waits a round trip per message and
 * the client sends many messages per socket write (docs/performance.md).
 *
 * Order holds through failures: every message sent while another is still in
 * flight expects that one as the stream's last message
 * (`Nats-Expected-Last-Msg-Id`). If a message is lost, every later one in
 * flight is refused instead of landing ahead of it; the caller then abandons
 * the window and publishes again from its last acknowledged message, and
 * JetStream drops what it already holds as duplicates (it checks duplicates
 * before expectations). The first message of a window expects nothing: all
 * before it were acknowledged. Only one publisher may write to the stream (the
 * relay's leader), or the expectations fail.
 */
export class OrderedPublisher {
  private pending: Pending[] = [];
  /** Of the pending, how many are publishes (not `then` steps). */
  private inFlight = 0;
  /** The id of the last message sent, while it or a later one is in flight. */
  private lastSent: string | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly streamName: string,
    private readonly window = 128,
  ) {}

  /**
   * Sends the message, first waiting for the oldest ack while the window is
   * full. `onAck` runs once JetStream acknowledged it and every message before
   * it, in the order sent. Throws the first failure among the acks awaited.
   */
  async publish(
    message: OrderedMessage,
    onAck: (ack: PubAck) => void | Promise<void>,
  ): Promise<void> {
    while (this.inFlight >= this.window) await this.settleOldest();
    if (this.pending.length === 0) this.lastSent = undefined;
    const ack = this.js.publish(message.subject, message.payload, {
      msgID: message.msgID,
      expect: {
        streamName: this.streamName,
        ...(this.lastSent === undefined ? {} : { lastMsgID: this.lastSent }),
      },
      ...(message.headers ? { headers: message.headers } : {}),
    });
    // Observed when it reaches the head of the window; never an unhandled rejection.
    ack.catch(() => undefined);
    this.pending.push({ ack, onAck: (a) => onAck(a!) });
    this.inFlight++;
    this.lastSent = message.msgID;
  }

  /** Runs `step` once everything sent before it is acknowledged, in turn with their `onAck`s. */
  async then(step: () => void | Promise<void>): Promise<void> {
    if (this.pending.length === 0) await step();
    else this.pending.push({ ack: undefined, onAck: step });
  }

  /** Waits for every outstanding ack, running the `onAck`s in order. */
  async flush(): Promise<void> {
    while (this.pending.length > 0) await this.settleOldest();
  }

  /** Forgets everything in flight (after a failure): their acks no longer count. */
  abandon(): void {
    this.pending = [];
    this.inFlight = 0;
    this.lastSent = undefined;
  }

  private async settleOldest(): Promise<void> {
    const head = this.pending[0]!;
    let ack: PubAck | undefined;
    try {
      ack = head.ack === undefined ? undefined : await head.ack;
    } catch (err) {
      this.abandon();
      throw err;
    }
    this.pending.shift();
    if (head.ack !== undefined) this.inFlight--;
    await head.onAck(ack);
  }
}
