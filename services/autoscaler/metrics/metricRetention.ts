import {
  createPartitionsAhead,
  dropExpiredPartitions,
  rollUpMetrics,
  type RollUpResult,
} from "../../../shared/metrics/index.js";
import type { AutoscalerContext, Loop } from "../context.js";

export interface MetricRetentionOptions {
  /** One pass every this many seconds (default 60). */
  readonly intervalSeconds?: number;
  /** False: no timer; the caller drives `runOnce()` (tests on a virtual clock). Default true. */
  readonly autoRun?: boolean;
}

export interface MetricRetentionPass {
  readonly rolledUp: readonly RollUpResult[];
  readonly dropped: readonly string[];
  readonly seriesForgotten: number;
}

export interface MetricRetentionLoop extends Loop {
  /** One pass now: create the coming partitions, roll up, drop what has expired. */
  runOnce(): Promise<MetricRetentionPass>;
}

/**
 * The metric store's housekeeping: keeps the next time partitions ready for
 * ingest, rolls data up as CloudWatch does (1 s → 1 min after 3 hours, 1 min →
 * 5 min after 15 days, 5 min → 1 h after 63 days) and drops whole partitions
 * once they have been rolled up and expired. Replicas may all run it: each
 * roll-up step holds its granularity's mark row, and drops are idempotent.
 */
export const startMetricRetention = (
  ctx: AutoscalerContext,
  options: MetricRetentionOptions = {},
): MetricRetentionLoop => {
  const intervalMs = (options.intervalSeconds ?? 60) * 1000;
  const log = ctx.log.child({ loop: "metricRetention" });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const passOnce = async (): Promise<MetricRetentionPass> => {
    const now = ctx.clock();
    await createPartitionsAhead(ctx.db, now);
    const rolledUp = await rollUpMetrics(ctx.db, now);
    const { dropped, seriesForgotten } = await dropExpiredPartitions(ctx.db, now);
    const read = rolledUp.reduce((n, r) => n + r.read, 0);
    if (read > 0 || dropped.length > 0 || seriesForgotten > 0) {
      log.info({ rolledUpRows: read, dropped, seriesForgotten }, "metric retention pass");
    }
    return { rolledUp, dropped, seriesForgotten };
  };
  const runOnce = (): Promise<MetricRetentionPass> => {
    const pass = running.catch(() => undefined).then(passOnce);
    running = pass;
    return pass;
  };

  const schedule = (delayMs: number) => {
    if (stopped || options.autoRun === false) return;
    timer = setTimeout(() => {
      runOnce().then(
        () => schedule(intervalMs),
        (err: unknown) => {
          log.error({ err }, "metric retention pass failed");
          schedule(intervalMs);
        },
      );
    }, delayMs);
  };
  schedule(0);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
};
