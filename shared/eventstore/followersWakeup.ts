import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";
import { EVENTS_NOTIFY_CHANNEL } from "./appendToStream.js";

/**
 * Wakes the log's followers (relays, webhook delivery) after appends have
 * committed: one NOTIFY on EVENTS_NOTIFY_CHANNEL, in a statement of its own whose
 * transaction commits without waiting for the WAL flush (it changes no data), and
 * coalesced: while one is on its way, further wakes make one more after it.
 *
 * Why not in the appending transaction: Postgres serialises the commits of all
 * transactions that NOTIFY on one server-wide lock, held through the commit's
 * WAL flush, so every append waited for every other (docs/performance.md). A
 * notification is a hint only: followers also poll, so a lost one delays them
 * by at most their poll interval.
 */
export class FollowersWakeup {
  private sending = false;
  private again = false;

  constructor(private readonly db: Kysely<Database>) {}

  wake(): void {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    void this.send();
  }

  private async send(): Promise<void> {
    try {
      do {
        this.again = false;
        // One autocommitted statement, one round trip: the setting is local to the
        // statement's own transaction and still in force when that transaction commits.
        await sql`SELECT set_config('synchronous_commit', 'off', true),
                         pg_notify(${EVENTS_NOTIFY_CHANNEL}, '')`.execute(this.db);
      } while (this.again);
    } catch {
      // A hint: the followers' polls pick the events up.
    } finally {
      this.sending = false;
    }
  }
}
