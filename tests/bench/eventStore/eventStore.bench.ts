import type { BenchContext, BenchResult, BenchSuite } from "../suite.js";
import { BATCH, measureAppends, WRITERS } from "./appends.js";
import { withBenchDatabase } from "./benchDatabase.js";
import { measureReadAndRebuild } from "./readAndRebuild.js";
import { EVENTS_PER_TASK, seedLog } from "./seedLog.js";

/** Prints a progress line with the seconds since `started`. */
const progressFrom =
  (started: number) =>
  (line: string): void =>
    console.log(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`);

/** Events replayed by the rebuild measurement at scale 1 (the whole log with BENCH_FULL_REBUILD=1). */
const REBUILD_PREFIX = 30_000;

/**
 * The event store (shared/eventstore) and the projection rebuild
 * (shared/projections), each in a database of its own.
 */
export const eventStore: BenchSuite = {
  name: "eventstore",
  workload:
    `appends: ${WRITERS} concurrent writers (the services' pool size) through EventStore.append, each append its own transaction with the stream's exact expected version, real TaskStateChanged events (~400 B) and no inline projections; one event per append, and batches of ${BATCH} to a new stream; ` +
    `baseline: raw INSERTs of the same rows (one row per autocommitted INSERT, and ${BATCH}-row INSERTs) into a bare table with only a primary key, alternating with the store in the same run. ` +
    `Log: 1,000,000 events seeded with generate_series (a cluster, 1,000 instances and task lifecycles of ${EVENTS_PER_TASK} real events each, about 1,000 tasks alive at a time); read with readAll in the relays' pages of 500, and replayed with rebuildProjections (every projection, as npm run replay; its first 30,000 events, all with BENCH_FULL_REBUILD=1), rolled back. No baseline for these: the goal is absolute`,
  async run(ctx: BenchContext): Promise<BenchResult[]> {
    const progress = progressFrom(performance.now());
    const appends = await withBenchDatabase(ctx.databaseUrl, (db) =>
      measureAppends(db, ctx.scale, progress),
    );
    const log = await withBenchDatabase(ctx.databaseUrl, async (db) => {
      const instances = Math.max(10, Math.min(1000, Math.round(10_000 * ctx.scale)));
      const events = await seedLog(
        db,
        Math.max(200, Math.round(1_000_000 * ctx.scale)),
        instances,
        progress,
      );
      // The rebuild replays event by event through the projections' SQL (a few
      // statements each): the whole log would overrun the suite's time share,
      // so a prefix is replayed unless BENCH_FULL_REBUILD=1 (docs/performance.md).
      const full = process.env.BENCH_FULL_REBUILD === "1";
      const rebuildEvents = full ? events : Math.max(200, Math.round(REBUILD_PREFIX * ctx.scale));
      return measureReadAndRebuild(db, events, rebuildEvents, progress);
    });
    return [...appends, ...log];
  },
};
