import type { Subscription } from "@nats-io/nats-core";

/**
 * The asynchronous work a subscription's callbacks started. NATS' own `drain()` ends once
 * every message has been handed to the callback, not when the work it started is done;
 * a subscription passed through `drainsWith` waits for that too, so a shutdown that
 * drains it, then closes NATS and Postgres, never cuts a handler off.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Tracks one piece of work until it settles (its rejection is the caller's to handle). */
  track(work: Promise<unknown>): void {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
  }

  /** Resolves once nothing tracked runs (work started meanwhile is waited for too). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** The same subscription, whose `drain()` also waits until the tracked work settled. */
  drainsWith<S extends Subscription>(sub: S): S {
    const drainSubscription = sub.drain.bind(sub);
    return Object.assign(sub, {
      drain: async (): Promise<void> => {
        await drainSubscription();
        await this.settled();
      },
    });
  }
}
