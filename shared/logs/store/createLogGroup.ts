import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { logGroupExists } from "../logsErrors.js";

/**
 * Creates a log group; `ifMissing` (awslogs-create-group) makes an existing
 * one no error, otherwise it is ResourceAlreadyExistsException.
 */
export const createLogGroup = async (
  db: Kysely<Database>,
  name: string,
  nowMs: number,
  options: { ifMissing?: boolean; retentionDays?: number } = {},
): Promise<boolean> => {
  const inserted = await sql<{ log_group_name: string }>`
    INSERT INTO log_groups (log_group_name, creation_time, retention_days)
    VALUES (${name}, ${nowMs}, ${options.retentionDays ?? null})
    ON CONFLICT (log_group_name) DO NOTHING
    RETURNING log_group_name`.execute(db);
  if (inserted.rows.length === 0 && !options.ifMissing) throw logGroupExists();
  return inserted.rows.length > 0;
};
