import { sql, type Kysely } from "kysely";
import type { Database } from "../db/index.js";

/**
 * The streams of the scalable target(s) that had this ARN: found in the
 * events that gave it (so a deregistered target is still found). Usually one.
 */
export const scalableTargetStreams = async (
  db: Kysely<Database>,
  arn: string,
): Promise<string[]> => {
  const { rows } = await sql<{ stream_id: string }>`
    SELECT DISTINCT stream_id FROM events
     WHERE stream_id LIKE 'scalabletarget:%' AND data->>'scalableTargetArn' = ${arn}`.execute(db);
  return rows.map((r) => r.stream_id);
};
