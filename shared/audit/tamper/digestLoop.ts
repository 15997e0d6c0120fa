import type { Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { Logger } from "../../log/index.js";
import { resolveSigningKey, type SigningKeySettings } from "./resolveSigningKey.js";
import type { DigestSigningKey } from "./signing.js";
import { writeDigest } from "./writeDigest.js";

export interface DigestLoopOptions {
  readonly db: Kysely<Database>;
  readonly intervalMs: number;
  readonly signingKey: SigningKeySettings;
  readonly log: Logger;
}

/**
 * Writes a signed digest of the log every `intervalMs`. Every replica may run
 * it: a transaction-scoped advisory lock lets one writer per turn through.
 */
export const startDigestLoop = (options: DigestLoopOptions) => {
  const { db, intervalMs, log } = options;
  let key: DigestSigningKey | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      key ??= await resolveSigningKey(db, options.signingKey, log);
      const body = await writeDigest(db, key);
      if (body) {
        log.debug(
          { sequence: body.sequence, events: body.event_count, lastPosition: body.last_position },
          "audit digest written",
        );
      }
    } catch (err) {
      log.error({ err }, "audit digest failed; retrying next interval");
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    /** Runs one digest now (for tests and shutdown); resolves when written or skipped. */
    async runOnce(): Promise<void> {
      await running;
      running = tick();
      await running;
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
};
export type DigestLoop = ReturnType<typeof startDigestLoop>;
