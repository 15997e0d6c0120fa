/**
 * Whether handling an event again can help. An error says no with
 * `retryable: false` (EcsError of a client fault, a malformed message, …);
 * anything else (a lost connection, a conflict, an unexpected bug) is retried.
 */
export const isRetryable = (err: unknown): boolean =>
  !(
    typeof err === "object" &&
    err !== null &&
    (err as { retryable?: unknown }).retryable === false
  );

/** Delay before the n-th redelivery (n ≥ 1): doubles from `base`, capped at `max`. */
export const nakDelay = (deliveryCount: number, base: number, max: number): number =>
  Math.min(max, base * 2 ** Math.max(0, Math.min(deliveryCount - 1, 20)));
