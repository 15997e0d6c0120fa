import { rebuildAt as rebuild } from "../../shared/audit/index.js";
import { createDb } from "../../shared/db/index.js";
import { CliError, defineCommand } from "../command.js";
import { parseCliTime } from "../parseCliTime.js";

const SCHEMA = /^[a-z_][a-z0-9_]*$/;

/** `flotilla rebuild-at`: every projection as of a time or position, into a schema of its own. */
export const rebuildAt = defineCommand({
  name: "rebuild-at",
  summary: "rebuild every read model as of a time or log position into a separate schema",
  usage: "flotilla rebuild-at (--time T | --position P) [--schema S]   (uses DATABASE_URL)",
  examples: [
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/flotilla flotilla rebuild-at --time 2026-11-26T20:00:00Z --schema asof_2000   # the read models as of 20:00",
    "flotilla rebuild-at --position 1200   # as of log position 1200, into rebuild_<id>",
    "psql \"$DATABASE_URL\" -c 'SELECT service_name, desired_count FROM asof_2000.services'   # then query it",
    "psql \"$DATABASE_URL\" -c 'DROP SCHEMA asof_2000 CASCADE'   # and drop it when done",
  ],
  options: {
    time: { type: "string" },
    position: { type: "string" },
    schema: { type: "string" },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new CliError("takes no positional arguments", 2);
    if ((values.time === undefined) === (values.position === undefined)) {
      throw new CliError("give exactly one of --time and --position", 2);
    }
    const schema = typeof values.schema === "string" ? values.schema : undefined;
    if (schema !== undefined && !SCHEMA.test(schema)) {
      throw new CliError(
        "--schema: lower-case letters, digits and _ (not starting with a digit)",
        2,
      );
    }
    let to: { position: number } | { time: Date };
    if (typeof values.time === "string") {
      to = { time: new Date(parseCliTime("time", values.time) * 1000) };
    } else {
      const position = Number(values.position);
      if (!Number.isSafeInteger(position) || position < 0) {
        throw new CliError("--position: give a log position (a non-negative integer)", 2);
      }
      to = { position };
    }
    const url = io.env.DATABASE_URL;
    if (!url) throw new CliError("set DATABASE_URL to the Flotilla database", 2);
    const db = createDb(url, { max: 2, applicationName: "flotilla-rebuild-at" });
    try {
      const result = await rebuild(db, to, schema);
      io.out(
        `rebuilt ${result.tables.length} tables from ${result.events} events (the log up to position ${result.position}) into schema ${result.schema}`,
      );
      io.out(`query it: psql "$DATABASE_URL" -c 'SELECT * FROM ${result.schema}.services'`);
      io.out(`drop it:  psql "$DATABASE_URL" -c 'DROP SCHEMA ${result.schema} CASCADE'`);
      return 0;
    } catch (err) {
      if ((err as { code?: string }).code === "42P06") {
        throw new CliError(
          `--schema: schema ${schema ?? ""} already exists; pick another or drop it`,
        );
      }
      throw err;
    } finally {
      await db.destroy();
    }
  },
});
