import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";

export interface LogGroupRow {
  readonly name: string;
  readonly creationTime: number;
  readonly retentionDays: number | null;
  readonly storedBytes: number;
}

export interface LogGroupQuery {
  readonly namePrefix?: string;
  /** A case-insensitive substring (logGroupNamePattern). */
  readonly nameContains?: string;
  /** Only names after this one (paging). */
  readonly after?: string;
  readonly limit: number;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Log groups by name, with the bytes their streams hold. */
export const describeLogGroups = async (
  db: Kysely<Database>,
  q: LogGroupQuery,
): Promise<LogGroupRow[]> => {
  const rows = await sql<{
    log_group_name: string;
    creation_time: string;
    retention_days: number | null;
    stored_bytes: string | null;
  }>`
    SELECT g.log_group_name, g.creation_time, g.retention_days,
           (SELECT sum(s.stored_bytes) FROM log_streams s
             WHERE s.log_group_name = g.log_group_name) AS stored_bytes
      FROM log_groups g
     WHERE (${q.namePrefix ?? null}::text IS NULL
            OR g.log_group_name LIKE ${likeEscape(q.namePrefix ?? "") + "%"})
       AND (${q.nameContains ?? null}::text IS NULL
            OR g.log_group_name ILIKE ${"%" + likeEscape(q.nameContains ?? "") + "%"})
       AND (${q.after ?? null}::text IS NULL OR g.log_group_name COLLATE "C" > ${q.after ?? ""})
     ORDER BY g.log_group_name COLLATE "C"
     LIMIT ${q.limit}`.execute(db);
  return rows.rows.map((r) => ({
    name: r.log_group_name,
    creationTime: Number(r.creation_time),
    retentionDays: r.retention_days,
    storedBytes: Number(r.stored_bytes ?? 0),
  }));
};

/** One group's retention, or undefined when the group does not exist. */
export const findLogGroup = async (
  db: Kysely<Database>,
  name: string,
): Promise<{ retentionDays: number | null } | undefined> => {
  const rows = await sql<{ retention_days: number | null }>`
    SELECT retention_days FROM log_groups WHERE log_group_name = ${name}`.execute(db);
  const row = rows.rows[0];
  return row ? { retentionDays: row.retention_days } : undefined;
};
