import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/index.js";
import { partitionOf, type Tier } from "../tiers.js";

/** Partitions known to exist, per pool: ingest asks Postgres only for new ones. */
const known = new WeakMap<object, Set<string>>();

const knownFor = (db: object): Set<string> => {
  let set = known.get(db);
  if (!set) known.set(db, (set = new Set()));
  return set;
};

/** Forgets what this process knew (after a drop, or when an insert found no partition). */
export const forgetPartitions = (db: object, names?: readonly string[]): void => {
  if (!names) known.delete(db);
  else for (const n of names) known.get(db)?.delete(n);
};

/**
 * Creates the time partition of a granularity that holds `t`, unless it
 * exists. Concurrent creators of the same partition serialise on an advisory
 * lock named after it, so `IF NOT EXISTS` never races.
 */
export const ensurePartition = async (
  db: Kysely<Database>,
  tier: Tier,
  t: Date,
): Promise<string> => {
  const p = partitionOf(tier, t);
  const set = db.isTransaction ? undefined : knownFor(db);
  if (set?.has(p.name)) return p.name;
  const create = async (q: Kysely<Database>) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${p.name}))`.execute(q);
    await sql
      .raw(
        `CREATE TABLE IF NOT EXISTS ${p.name} PARTITION OF metric_datapoints_${tier.granularity} ` +
          `FOR VALUES FROM ('${p.from.toISOString()}') TO ('${p.to.toISOString()}')`,
      )
      .execute(q);
  };
  if (db.isTransaction) await create(db);
  else await db.transaction().execute(create);
  set?.add(p.name);
  return p.name;
};
