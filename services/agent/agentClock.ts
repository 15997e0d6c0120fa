/**
 * Time for the agent: `now()` and one-shot timers. The real clock in production; the
 * hollow runtime's ManualClock (same shape) in simulation tests.
 */
export interface AgentClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: AgentClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves after `ms` on the clock, or at once when the signal aborts. */
export const sleep = (clock: AgentClock, ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      signal?.removeEventListener("abort", done);
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/** Exponential backoff with full jitter: attempt 0 → up to `min`, capped at `max`. */
export const backoffMs = (attempt: number, min = 250, max = 10_000, random = Math.random): number =>
  Math.round(Math.min(max, min * 2 ** Math.min(attempt, 20)) * (0.5 + random() / 2));
