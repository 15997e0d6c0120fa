import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { logGroupNotFound, logStreamExists } from "../logsErrors.js";

/** Creates a log stream in an existing group (ResourceNotFound / ResourceAlreadyExists). */
export const createLogStream = async (
  db: Kysely<Database>,
  group: string,
  stream: string,
  nowMs: number,
): Promise<void> => {
  const inserted = await sql<{ stream_id: string }>`
    INSERT INTO log_streams (log_group_name, log_stream_name, creation_time)
    SELECT log_group_name, ${stream}, ${nowMs} FROM log_groups WHERE log_group_name = ${group}
    ON CONFLICT (log_group_name, log_stream_name) DO NOTHING
    RETURNING stream_id`.execute(db);
  if (inserted.rows.length > 0) return;
  const exists = await sql`SELECT 1 FROM log_groups WHERE log_group_name = ${group}`.execute(db);
  throw exists.rows.length === 0 ? logGroupNotFound() : logStreamExists();
};
