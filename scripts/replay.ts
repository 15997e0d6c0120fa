/**
 * npm run replay -- [--verify] [--keep] [--to-position N | --to-time T] [--schema S]
 *
 * Replays the whole event log into fresh projection tables and compares them
 * row by row with the live ones (--verify, the default): prints every
 * difference and exits 1 on any. --to-position rebuilds the read models as of
 * a log position into a kept schema, for investigation; --to-time as of a
 * time (ISO 8601): the last position recorded at or before it (docs/audit.md).
 */
import { parseArgs } from "node:util";
import type { Kysely } from "kysely";
import { CommonConfig, loadConfig } from "../shared/config/index.js";
import { createDb, migrateToLatest } from "../shared/db/index.js";
import { positionAtTime } from "../shared/audit/index.js";
import { upcastEvent } from "../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../shared/projections/index.js";

const { values } = parseArgs({
  options: {
    verify: { type: "boolean", default: true },
    keep: { type: "boolean", default: false },
    "to-position": { type: "string" },
    "to-time": { type: "string" },
    schema: { type: "string" },
  },
});

const main = async (): Promise<number> => {
  const config = loadConfig(CommonConfig);
  const db = createDb(config.DATABASE_URL, { max: 2, applicationName: "flotilla-replay" });
  try {
    await migrateToLatest(db as Kysely<unknown>, config.DATABASE_URL);
    let toPosition =
      values["to-position"] === undefined ? undefined : Number(values["to-position"]);
    if (toPosition !== undefined && !Number.isSafeInteger(toPosition)) {
      console.error("--to-position must be an integer log position");
      return 2;
    }
    if (values["to-time"] !== undefined) {
      const time = new Date(values["to-time"]);
      if (toPosition !== undefined || Number.isNaN(time.getTime())) {
        console.error("--to-time takes an ISO 8601 time, and not with --to-position");
        return 2;
      }
      toPosition = await positionAtTime(db, time);
      console.log(`${time.toISOString()} is log position ${toPosition}`);
    }
    const report = await rebuildProjections(db, {
      projections: ALL_PROJECTIONS,
      upcast: upcastEvent,
      keep: values.keep || toPosition !== undefined,
      ...(toPosition === undefined ? {} : { toPosition }),
      ...(values.schema === undefined ? {} : { schema: values.schema }),
    });
    console.log(
      `replayed ${report.events} events into ${report.tables.length} tables (${report.tables.join(", ")})` +
        (values.keep || toPosition !== undefined ? `; kept in schema ${report.schema}` : ""),
    );
    if (toPosition !== undefined) return 0;
    if (report.differences.length === 0) {
      console.log("rebuild matches the live projections: no differences");
      return 0;
    }
    for (const d of report.differences) {
      console.log(`table ${d.table}: differs`);
      for (const row of d.onlyLive) console.log(`  - live only:    ${JSON.stringify(row)}`);
      for (const row of d.onlyRebuilt) console.log(`  + rebuilt only: ${JSON.stringify(row)}`);
    }
    return 1;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
