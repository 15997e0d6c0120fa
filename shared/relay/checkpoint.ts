import { sql, type Kysely } from "kysely";
import type pg from "pg";
import type { Database } from "../db/index.js";
import { START_OF_LOG, type Checkpoint, type RecordedEvent } from "../eventstore/index.js";

/**
 * Orders two places in the log as `readAll` does: by transaction id, then by
 * position. Positions alone are NOT in log order (a transaction that took its
 * id first may insert its event after a later one did), so anything that
 * tracks progress through the relayed log must compare both.
 */
export const compareCheckpoints = (a: Checkpoint, b: Checkpoint): number => {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.position === b.position ? 0 : a.position < b.position ? -1 : 1;
};

export const checkpointOf = (event: RecordedEvent): Checkpoint => ({
  transactionId: event.transactionId,
  position: event.position,
});

interface CheckpointRow {
  transaction_id: string;
  position: number | string;
}

const toCheckpoint = (row: CheckpointRow | undefined): Checkpoint =>
  row === undefined
    ? START_OF_LOG
    : { transactionId: String(row.transaction_id), position: Number(row.position) };

/** A follower's stored checkpoint, or the start of the log when it has none. */
export const readStoredCheckpoint = async (
  db: Kysely<Database>,
  name: string,
): Promise<Checkpoint> => {
  const result = await sql<CheckpointRow>`
    SELECT transaction_id::text AS transaction_id, position
      FROM checkpoints WHERE name = ${name}`.execute(db);
  return toCheckpoint(result.rows[0]);
};

/** The last event of the log in log order, as committed now; undefined when the log is empty. */
export const endOfLog = async (db: Kysely<Database>): Promise<Checkpoint | undefined> => {
  const result = await sql<CheckpointRow>`
    SELECT transaction_id::text AS transaction_id, position
      FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : toCheckpoint(row);
};

/** Reads a checkpoint on a given connection (the relay's leader session). */
export const loadCheckpoint = async (client: pg.ClientBase, name: string): Promise<Checkpoint> => {
  const result = await client.query<CheckpointRow>(
    "SELECT transaction_id::text AS transaction_id, position FROM checkpoints WHERE name = $1",
    [name],
  );
  return toCheckpoint(result.rows[0]);
};

/**
 * Stores a checkpoint on a given connection. It only ever moves forward, so a
 * slow former leader can never drag it back.
 */
export const saveCheckpoint = async (
  client: pg.ClientBase,
  name: string,
  checkpoint: Checkpoint,
): Promise<void> => {
  await client.query(
    `INSERT INTO checkpoints AS c (name, transaction_id, position, updated_at)
     VALUES ($1, $2::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE
        SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
      WHERE (c.transaction_id, c.position) < (EXCLUDED.transaction_id, EXCLUDED.position)`,
    [name, checkpoint.transactionId, checkpoint.position],
  );
};
