import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { logGroupNotFound } from "../logsErrors.js";

/** Sets (or, with null, removes) a group's retention; the retention loop applies it. */
export const putRetentionPolicy = async (
  db: Kysely<Database>,
  name: string,
  retentionDays: number | null,
): Promise<void> => {
  const updated = await sql`
    UPDATE log_groups SET retention_days = ${retentionDays}
     WHERE log_group_name = ${name}`.execute(db);
  if (Number(updated.numAffectedRows ?? 0) === 0) throw logGroupNotFound();
};
