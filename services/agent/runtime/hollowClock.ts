/**
 * Time for the hollow runtime: the real clock, or a manual one that tests advance by
 * hand. The runtime only ever asks for `now()` and one-shot timers.
 */

export interface HollowClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `callback` once after `ms`. `background` marks a timer nobody awaits (a
   * program's own exit, a health check): the real clock does not let it keep the
   * process alive, as a real container would not.
   */
  setTimeout(callback: () => void, ms: number, background?: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

/** Date.now and Node's timers. */
export const realClock: HollowClock = {
  now: () => Date.now(),
  setTimeout(callback, ms, background = false) {
    const timer = setTimeout(callback, ms);
    if (background) timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told. Timers fire in due order (ties in the order they
 * were set); between two timers, pending promise callbacks run, so code that awaits a
 * timer and then sets another one behaves as it would in real time.
 */
export class ManualClock implements HollowClock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, ManualTimer>();

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.timers.delete(handle);
  }

  /** Timers set and not yet fired or cleared. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.time + Math.max(0, ms);
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > until) break;
      this.timers.delete(next.seq);
      this.time = Math.max(this.time, next.at);
      next.callback();
      await settle();
    }
    this.time = until;
  }

  /** Fires timers until none is left (at most `limit` of them, against endless loops). */
  async runAll(limit = 100_000): Promise<void> {
    await settle();
    for (let fired = 0; fired < limit; fired++) {
      const next = this.earliest();
      if (!next) return;
      await this.advance(next.at - this.time);
    }
    throw new Error(`ManualClock.runAll: still ${this.timers.size} timers after ${limit}`);
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) {
        best = timer;
      }
    }
    return best;
  }
}

/** Lets every pending promise callback run (a macrotask turn). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A seeded source of numbers in [0, 1) (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
