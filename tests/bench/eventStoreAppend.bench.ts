import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import pg from "pg";
import { createDb, migrateToLatest } from "../../shared/db/index.js";
import { EventStore, START_OF_LOG } from "../../shared/eventstore/index.js";
import { withRatio, type BenchContext, type BenchResult, type BenchSuite } from "./suite.js";

const meta = { actor: "bench", correlationId: "bench" };
const payload = { clusterName: "bench", n: 0, note: "x".repeat(200) };

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** Runs `total` operations with `concurrency` workers; returns elapsed ms. */
const timed = async (total: number, concurrency: number, op: (i: number) => Promise<unknown>) => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await op(i);
    }),
  );
  return performance.now() - started;
};

const withDatabase = async <T>(
  base: string,
  fn: (db: Kysely<never>, url: string) => Promise<T>,
) => {
  const name = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { max: 10, applicationName: "bench" });
  try {
    await migrateToLatest(db as Kysely<unknown>, url.toString());
    return await fn(db as unknown as Kysely<never>, url.toString());
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
    await admin.end();
  }
};

/**
 * Append throughput, single-event commands and batches of 50, each beside a
 * raw INSERT of the same rows into a bare table in the same run; then reading
 * the whole log forward.
 */
export const eventStoreAppend: BenchSuite = {
  name: "eventstore",
  workload:
    "8 concurrent writers; single-event appends to 100 streams with expected version 'any', and batches of 50 events; baseline: raw INSERTs of the same rows into a table with no indexes but its primary key",
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const singles = Math.max(50, Math.round(5000 * ctx.scale));
    const batches = Math.max(4, Math.round(200 * ctx.scale));
    return withDatabase(ctx.databaseUrl, async (anyDb) => {
      const db = anyDb as unknown as ReturnType<typeof createDb>;
      const store = new EventStore(db);
      await sql`CREATE TABLE bare (id bigserial PRIMARY KEY, event_id uuid, stream_id text,
                type text, data jsonb, metadata jsonb)`.execute(db);
      const raw = (n: number) =>
        sql`INSERT INTO bare (event_id, stream_id, type, data, metadata)
            SELECT gen_random_uuid(), ${`s-${n % 100}`}, 'Bench', ${JSON.stringify(payload)}::jsonb,
                   ${JSON.stringify(meta)}::jsonb FROM generate_series(1, ${n})`;

      const rawSingleMs = await timed(singles, 8, () => raw(1).execute(db));
      const singleMs = await timed(singles, 8, (i) =>
        store.append(`s-${i % 100}`, [{ type: "Bench", data: payload }], "any", meta),
      );
      const rawBatchMs = await timed(batches, 8, () => raw(50).execute(db));
      const batchMs = await timed(batches, 8, (i) =>
        store.append(
          `b-${i}`,
          Array.from({ length: 50 }, () => ({
            type: "Bench",
            data: payload,
            eventId: randomUUID(),
          })),
          "noStream",
          meta,
        ),
      );
      let read = 0;
      let checkpoint = START_OF_LOG;
      const readStarted = performance.now();
      for (;;) {
        const page = await store.readAll(checkpoint, 1000);
        if (page.events.length === 0) break;
        read += page.events.length;
        checkpoint = page.checkpoint;
      }
      const readMs = performance.now() - readStarted;

      const rawSingle = perSecond(singles, rawSingleMs);
      const rawBatch = perSecond(batches * 50, rawBatchMs);
      return [
        withRatio({
          suite: "eventstore",
          metric: "append single-event (events/s)",
          value: perSecond(singles, singleMs),
          unit: "events/s",
          baseline: { metric: "raw insert 1 row (rows/s)", value: rawSingle },
        }),
        withRatio({
          suite: "eventstore",
          metric: "append batch of 50 (events/s)",
          value: perSecond(batches * 50, batchMs),
          unit: "events/s",
          baseline: { metric: "raw insert 50 rows (rows/s)", value: rawBatch },
        }),
        {
          suite: "eventstore",
          metric: `read the log forward, ${read} events (events/s)`,
          value: perSecond(read, readMs),
          unit: "events/s",
        },
      ];
    });
  },
};
