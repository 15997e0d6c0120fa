/**
 * A latch a loop sleeps on: `sleep(ms)` ends after `ms` or at the next
 * `signal()`, whichever comes first. A signal sent while nobody sleeps is kept
 * for the next sleep, so a wake-up that arrives mid-batch is never lost.
 */
export class Wakeup {
  private pending = false;
  private wake: (() => void) | undefined;

  signal(): void {
    if (this.wake) {
      const wake = this.wake;
      this.wake = undefined;
      wake();
    } else {
      this.pending = true;
    }
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Wakes every waiter at once (progress made); waiters re-check their condition. */
export class Broadcast {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w();
  }

  wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

/** Exponential back-off with jitter, between `min` and `max` milliseconds. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly min = 100,
    private readonly max = 5_000,
  ) {}

  next(): number {
    const base = Math.min(this.max, this.min * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(base / 2 + (Math.random() * base) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
