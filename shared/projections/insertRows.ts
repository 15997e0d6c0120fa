import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database } from "../db/index.js";

type Row = Readonly<Record<string, unknown>>;

/**
 * Inserts many rows in one statement whose text does not depend on how many there
 * are, so each connection prepares it once: the rows travel as one JSON parameter,
 * read back by json_populate_recordset as the table's own row type. The columns are
 * the first row's keys (every row must have the same ones). A JSON column holds JSON
 * text, as a single-row insert sends it, and is parsed by the same input function.
 */
export const insertRows = async (
  db: Kysely<Database>,
  table: keyof Database,
  rows: readonly Row[],
  options: {
    readonly jsonColumns?: readonly string[];
    readonly onConflict?: RawBuilder<unknown>;
  } = {},
): Promise<void> => {
  if (rows.length === 0) return;
  const names = Object.keys(rows[0]!);
  const json = new Set(options.jsonColumns ?? []);
  // The record gives a JSON column's text as a JSON string; #>> '{}' unwraps it to be parsed.
  const select = names.map((n) =>
    json.has(n) ? sql`(x.${sql.id(n)} #>> '{}')::jsonb` : sql`x.${sql.id(n)}`,
  );
  await sql`
    INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.id(n)))})
    SELECT ${sql.join(select)} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json) AS x
    ${options.onConflict ?? sql``}`.execute(db);
};
