import { sql, type Kysely } from "kysely";
import type { Database } from "../../../../shared/db/index.js";
import type { Logger } from "../../../../shared/log/index.js";
import { expireLogEvents, type ExpiryResult } from "../../../../shared/logs/index.js";

export interface LogRetentionOptions {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  /** One pass every this many milliseconds (LOG_RETENTION_INTERVAL_MS). */
  readonly intervalMs: number;
  readonly now?: () => number;
}

export interface LogRetentionLoop {
  /** One pass now; undefined when another replica holds the lead. */
  runOnce(): Promise<ExpiryResult | undefined>;
  stop(): Promise<void>;
}

const LOCK = "flotilla.log-retention";

/**
 * The log store's housekeeping in the api: every interval, the replica that
 * wins a transaction-scoped advisory lock applies every group's retention
 * (shared/logs/store/expireLogEvents.ts); the others skip that turn.
 */
export const startLogRetention = (options: LogRetentionOptions): LogRetentionLoop => {
  const { db, intervalMs } = options;
  const now = options.now ?? Date.now;
  const log = options.log.child({ loop: "logRetention" });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const passOnce = () =>
    db.transaction().execute(async (trx) => {
      const lock = await sql<{ locked: boolean }>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${LOCK}, 0)) AS locked`.execute(trx);
      if (!lock.rows[0]?.locked) return undefined;
      const result = await expireLogEvents(trx, now());
      if (result.dropped.length > 0 || result.deletedRows > 0) {
        log.info(result, "log retention pass");
      }
      return result;
    });
  const runOnce = (): Promise<ExpiryResult | undefined> => {
    const pass = running.catch(() => undefined).then(passOnce);
    running = pass;
    return pass;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce().then(schedule, (err: unknown) => {
        log.error({ err }, "log retention pass failed");
        schedule();
      });
    }, intervalMs);
  };
  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
};
