import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest, type Database } from "../../../shared/db/index.js";

/**
 * Runs `fn` against a fresh, migrated database of its own (pool of 10, as the
 * services' pools are), dropped afterwards whatever happens.
 */
export const withBenchDatabase = async <T>(
  base: string,
  fn: (db: Kysely<Database>, url: string) => Promise<T>,
): Promise<T> => {
  const name = `bench_es_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 10, applicationName: "bench" });
  try {
    await migrateToLatest(db as Kysely<unknown>, url.toString());
    return await fn(db, url.toString());
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
};

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);

/** Runs `total` operations on `concurrency` workers (worker w takes every next index); ms. */
export const timed = async (
  total: number,
  concurrency: number,
  op: (i: number, worker: number) => Promise<unknown>,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < total; i = next++) await op(i, worker);
    }),
  );
  return performance.now() - started;
};
