import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { logGroupNotFound } from "../logsErrors.js";

/** Deletes a log group with its streams and their events (ResourceNotFoundException when missing). */
export const deleteLogGroup = async (db: Kysely<Database>, name: string): Promise<void> => {
  await db.transaction().execute(async (trx) => {
    const group = await sql`
      SELECT 1 FROM log_groups WHERE log_group_name = ${name} FOR UPDATE`.execute(trx);
    if (group.rows.length === 0) throw logGroupNotFound();
    await sql`
      DELETE FROM log_events
       WHERE stream_id IN (SELECT stream_id FROM log_streams WHERE log_group_name = ${name})`.execute(
      trx,
    );
    await sql`DELETE FROM log_groups WHERE log_group_name = ${name}`.execute(trx);
  });
};
