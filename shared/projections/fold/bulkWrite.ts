import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import type { FoldState, FoldTable } from "./foldState.js";

/** Rows per INSERT: large enough to amortise a round trip, small enough to keep each statement a few MB. */
const ROWS_PER_INSERT = 5_000;

type Row = Readonly<Record<string, unknown>>;

/** The rows of one in-memory table, whatever shape its map has. */
function* rowsOf(state: FoldState, table: FoldTable): Iterable<Row> {
  if (table === "resource_tags") {
    for (const [resourceArn, byKey] of state.resource_tags) {
      for (const [key, value] of byKey) yield { resource_arn: resourceArn, key, value };
    }
  } else if (table === "service_events") {
    for (const rows of state.service_events.values()) yield* rows;
  } else if (table === "alarm_history") {
    yield* state.alarm_history;
  } else {
    yield* (state[table] as Map<string, Row>).values();
  }
}

interface Column {
  readonly name: string;
  /** format_type(): the cast of the column's array parameter. */
  readonly type: string;
  readonly json: boolean;
}

/** The table's columns, from the live table. */
const columnsOf = async (db: Kysely<Database>, table: FoldTable): Promise<readonly Column[]> => {
  const { rows } = await sql<{ name: string; type: string }>`
    SELECT attname AS name, format_type(atttypid, atttypmod) AS type
      FROM pg_attribute
     WHERE attrelid = ${`public.${table}`}::regclass AND attnum > 0 AND NOT attisdropped
     ORDER BY attnum`.execute(db);
  return rows.map((c) => ({ ...c, json: c.type === "jsonb" || c.type === "json" }));
};

/** The row as JSON for json_to_recordset: every JSON column as its text (JSON inside JSON). */
const encodeRow = (row: Row, columns: readonly Column[], table: string): Row => {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = row[c.name];
    if (v === undefined) throw new Error(`the ${table} fold left column ${c.name} out`);
    // A JSON column holds JSON text (as live sends it) or, kept parsed, the value itself.
    out[c.name] = c.json && typeof v !== "string" && v !== null ? JSON.stringify(v) : v;
  }
  return out;
};

/**
 * Writes the folded rows of `tables` into the same tables of `schema`, in
 * multi-row INSERTs: each batch one JSON parameter, read back by
 * json_to_recordset with the columns' own types (a JSON column as text, then
 * cast), so every value goes through the same input function as a live
 * parameter. Returns the number of rows written.
 */
export const writeFoldedTables = async (
  db: Kysely<Database>,
  schema: string,
  tables: readonly FoldTable[],
  state: FoldState,
): Promise<number> => {
  let written = 0;
  for (const table of tables) {
    const columns = await columnsOf(db, table);
    const names = sql.join(columns.map((c) => sql.id(c.name)));
    const record = sql.join(
      columns.map((c) => sql`${sql.id(c.name)} ${sql.raw(c.json ? "text" : c.type)}`),
    );
    const select = sql.join(
      columns.map((c) => (c.json ? sql`${sql.id(c.name)}::${sql.raw(c.type)}` : sql.id(c.name))),
    );
    const insert = async (batch: readonly Row[]) => {
      await sql`
        INSERT INTO ${sql.id(schema, table)} (${names})
        SELECT ${select} FROM json_to_recordset(${JSON.stringify(batch)}::json) AS x(${record})`.execute(
        db,
      );
      written += batch.length;
    };
    let batch: Row[] = [];
    for (const row of rowsOf(state, table)) {
      batch.push(encodeRow(row, columns, table));
      if (batch.length === ROWS_PER_INSERT) {
        await insert(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await insert(batch);
  }
  return written;
};
