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

/**
 * The event store (shared/eventstore) and the projection rebuild
 * (shared/projections), each in a database of its own.
 */
export const eventStore: BenchSuite = {
  name: "eventstore",
  workload:
    `appends: ${WRITERS} concurrent writers (the services' pool size) through EventStore.append, each append one statement (flotilla_append, autocommitted) with the stream's exact expected version, real TaskStateChanged events (~400 B) and no inline projections; one event per append, and batches of ${BATCH} to a new stream; ` +
    `baseline: raw INSERTs of the same rows (one row per autocommitted INSERT, and ${BATCH}-row INSERTs) into a bare table with only a primary key, alternating with the store in the same run; a second baseline: the same INSERTs into a copy of the events table with all its indexes. ` +
    `Log: 1,000,000 events seeded with generate_series (a cluster, 1,000 instances and task lifecycles of ${EVENTS_PER_TASK} real events each, about 1,000 tasks alive at a time); read with readAll in the relays' pages of 500, and replayed with rebuildProjections (every projection, as npm run replay: folded in memory, written in bulk; the whole log, or its first BENCH_REBUILD_EVENTS events), rolled back. No baseline for these: the goal is absolute`,
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
      // The whole log, unless BENCH_REBUILD_EVENTS asks for a prefix (docs/performance.md).
      const prefix = Number(process.env.BENCH_REBUILD_EVENTS);
      const rebuildEvents = Number.isSafeInteger(prefix) && prefix > 0 ? prefix : events;
      return measureReadAndRebuild(db, events, rebuildEvents, progress);
    });
    return [...appends, ...log];
  },
};
