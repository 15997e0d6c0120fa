import type { Kysely } from "kysely";
import type { Database } from "../../../shared/db/index.js";
import { readAll, START_OF_LOG } from "../../../shared/eventstore/index.js";
import { upcastEvent } from "../../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../../shared/projections/index.js";
import type { BenchResult } from "../suite.js";
import { perSecond } from "./benchDatabase.js";

/** The relays' page size (shared/relay, shared/publicEvents). */
const RELAY_PAGE = 500;

/**
 * Reads the whole log forward as the relays do (readAll, pages of 500, each
 * page's rows turned into events), then replays it into fresh projection
 * tables with the code `npm run replay` runs (rebuildProjections with every
 * projection and the upcaster: folded in memory, written in bulk), rolled
 * back after. The process's resident memory is sampled during the rebuild.
 */
export const measureReadAndRebuild = async (
  db: Kysely<Database>,
  events: number,
  /** Replay only the log's first this many events (its positions start at 1, gapless). */
  rebuildEvents: number,
  progress: (line: string) => void,
): Promise<BenchResult[]> => {
  let read = 0;
  let checkpoint = START_OF_LOG;
  const readStarted = performance.now();
  // Until all are read: a transaction open anywhere in the Postgres cluster (another
  // database's test) holds readAll's horizon back for a while, and an empty page then is
  // not yet the end of the log.
  const deadline = Date.now() + 60_000;
  while (read < events && Date.now() < deadline) {
    const page = await readAll(db, checkpoint, RELAY_PAGE);
    if (page.events.length === 0) await new Promise((r) => setTimeout(r, 20));
    read += page.events.length;
    checkpoint = page.checkpoint;
  }
  const readMs = performance.now() - readStarted;
  progress(`read ${read.toLocaleString("en")} events in ${Math.round(readMs)} ms`);

  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 50);
  const rebuildStarted = performance.now();
  const report = await rebuildProjections(db, {
    projections: ALL_PROJECTIONS,
    upcast: upcastEvent,
    // Up to a position: no comparison with the (empty) live tables; rolled back.
    toPosition: rebuildEvents,
  }).finally(() => clearInterval(sampler));
  const rebuildMs = performance.now() - rebuildStarted;
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  progress(
    `rebuilt ${report.events.toLocaleString("en")} events in ${Math.round(rebuildMs)} ms; ` +
      `resident memory ${mib(rssBefore)} MiB before, ${mib(rssPeak)} MiB at most`,
  );
  if (read !== events || report.events !== Math.min(events, rebuildEvents)) {
    throw new Error(`read ${read} and rebuilt ${report.events} of ${events} events`);
  }
  return [
    {
      suite: "eventstore",
      metric: `read the log, ${read.toLocaleString("en")} events, readAll pages of ${RELAY_PAGE} (events/s)`,
      value: perSecond(read, readMs),
      unit: "events/s",
    },
    {
      suite: "eventstore",
      metric:
        report.events === events
          ? `rebuild all projections, ${events.toLocaleString("en")} events (events/s)`
          : `rebuild all projections, first ${report.events.toLocaleString("en")} of the ${events.toLocaleString("en")} events (events/s)`,
      value: perSecond(report.events, rebuildMs),
      unit: "events/s",
    },
    {
      suite: "eventstore",
      metric: `rebuild all projections, ${report.events.toLocaleString("en")} events: peak resident memory of the process (MiB)`,
      value: Math.max(1, mib(rssPeak)),
      unit: "MiB",
    },
  ];
};
