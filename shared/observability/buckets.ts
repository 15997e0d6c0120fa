/** Latency buckets (seconds) for requests and commands: 5 ms to 10 s. */
export const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Buckets (seconds) for reconcile passes, which may be sub-millisecond or take many seconds. */
export const PASS_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
