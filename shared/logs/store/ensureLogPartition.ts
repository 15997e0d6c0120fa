import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";

export const DAY_MS = 86_400_000;

/** The day partition holding an event time (ms): `log_events_p20261127`, [from, to). */
export const logPartitionOf = (timeMs: number): { name: string; from: number; to: number } => {
  const from = Math.floor(timeMs / DAY_MS) * DAY_MS;
  const day = new Date(from).toISOString().slice(0, 10).replaceAll("-", "");
  return { name: `log_events_p${day}`, from, to: from + DAY_MS };
};

/** `log_events_p20261127` → its start (ms), or undefined for another name. */
export const logPartitionStartOf = (name: string): number | undefined => {
  const m = /^log_events_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
};

/** Partitions known to exist, per pool: ingest asks Postgres only for new ones. */
const known = new WeakMap<object, Set<string>>();

/** Forgets what this process knew (after a drop, or an insert that found no partition). */
export const forgetLogPartitions = (db: object): void => {
  known.delete(db);
};

/**
 * Creates the day partitions holding these event times, unless they exist.
 * Concurrent creators serialise on an advisory lock named after the partition.
 * Runs outside the caller's transaction: DDL there would hold locks too long.
 */
export const ensureLogPartitions = async (
  db: Kysely<Database>,
  timesMs: Iterable<number>,
): Promise<void> => {
  let set = known.get(db);
  if (!set) known.set(db, (set = new Set()));
  const wanted = new Map<string, { from: number; to: number }>();
  for (const t of timesMs) {
    const p = logPartitionOf(t);
    if (!set.has(p.name)) wanted.set(p.name, p);
  }
  for (const [name, p] of wanted) {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF log_events FOR VALUES FROM (${p.from}) TO (${p.to})`,
        )
        .execute(trx);
    });
    set.add(name);
  }
};
