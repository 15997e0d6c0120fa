import type { Kysely } from "kysely";
import { positionAtTime } from "../../shared/audit/index.js";
import { createDb, migrateToLatest } from "../../shared/db/index.js";
import { upcastEvent } from "../../shared/events/index.js";
import { ALL_PROJECTIONS, rebuildProjections } from "../../shared/projections/index.js";
import { CliError, defineCommand } from "../command.js";
import { intFlag } from "../options.js";

/**
 * `flotilla replay` (also `npm run replay`): every projection rebuilt from the
 * log into fresh tables and compared row by row with the live ones; exit 1 on
 * any difference.
 */
export const replay = defineCommand({
  name: "replay",
  summary: "rebuild every projection from the event log and compare with the live ones (--verify)",
  usage:
    "flotilla replay [--verify] [--keep] [--to-position N | --to-time T] [--schema S]   (uses DATABASE_URL)",
  examples: [
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/flotilla flotilla replay --verify   # exit 1 on any difference",
    "flotilla replay --to-time 2026-11-26T20:00:00Z --schema asof   # the read models as of then, kept in schema asof",
    "flotilla replay --keep   # keep the rebuilt tables for a look",
  ],
  options: {
    verify: { type: "boolean", default: true },
    keep: { type: "boolean", default: false },
    "to-position": { type: "string" },
    "to-time": { type: "string" },
    schema: { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new CliError("takes no positional arguments", 2);
    const url = io.env.DATABASE_URL;
    if (!url) throw new CliError("set DATABASE_URL to the Flotilla database", 2);
    let toPosition = intFlag("to-position", values["to-position"], 0);
    let toTime: Date | undefined;
    if (typeof values["to-time"] === "string") {
      toTime = new Date(values["to-time"]);
      if (toPosition !== undefined || Number.isNaN(toTime.getTime())) {
        throw new CliError("--to-time takes an ISO 8601 time, and not with --to-position", 2);
      }
    }
    const db = createDb(url, { max: 2, applicationName: "flotilla-replay" });
    try {
      await migrateToLatest(db as Kysely<unknown>, url);
      if (toTime !== undefined) {
        toPosition = await positionAtTime(db, toTime);
        io.out(`${toTime.toISOString()} is log position ${toPosition}`);
      }
      const keep = values.keep === true || toPosition !== undefined;
      const report = await rebuildProjections(db, {
        projections: ALL_PROJECTIONS,
        upcast: upcastEvent,
        keep,
        ...(toPosition === undefined ? {} : { toPosition }),
        ...(typeof values.schema === "string" ? { schema: values.schema } : {}),
      });
      io.out(
        `replayed ${report.events} events into ${report.tables.length} tables (${report.tables.join(", ")})` +
          (keep ? `; kept in schema ${report.schema}` : ""),
      );
      if (toPosition !== undefined || values.verify === false) return 0;
      if (report.differences.length === 0) {
        io.out("rebuild matches the live projections: no differences");
        return 0;
      }
      for (const d of report.differences) {
        io.out(`table ${d.table}: differs`);
        for (const row of d.onlyLive) io.out(`  - live only:    ${JSON.stringify(row)}`);
        for (const row of d.onlyRebuilt) io.out(`  + rebuilt only: ${JSON.stringify(row)}`);
      }
      return 1;
    } finally {
      await db.destroy();
    }
  },
});
