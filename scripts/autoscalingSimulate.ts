/**
 * npm run autoscaling:simulate -- --input file.json [--out result.json]
 * npm run autoscaling:simulate -- --replay policy.json --start <ISO 8601> [--end <ISO 8601>]
 *
 * Runs a scalable target, its scaling policies and alarms (AWS API JSON shapes)
 * on a virtual clock with the autoscaler's own alarm evaluator and scaling
 * engine, and prints the alarm transitions and scaling activities as JSON.
 * --input feeds the file's metric series; --replay reads the metric history
 * stored in Postgres (DATABASE_URL) over [start, end], read-only.
 * docs/autoscaling.md describes the input; docs/examples/ holds two.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CommonConfig, loadConfig } from "../shared/config/index.js";
import { createDb } from "../shared/db/index.js";
import { EcsError } from "../shared/domain/errors.js";
import { replay, simulate } from "../services/autoscaler/simulator/index.js";

const USAGE =
  "usage: npm run autoscaling:simulate -- --input file.json [--out result.json]\n" +
  "       npm run autoscaling:simulate -- --replay policy.json --start <ISO 8601> [--end <ISO 8601>] [--out result.json]";

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new EcsError("ValidationException", `${path}: ${(err as Error).message}`);
  }
};

const time = (flag: string, text: string | undefined, fallback?: Date): Date => {
  if (text === undefined && fallback) return fallback;
  const d = new Date(text ?? "");
  if (text === undefined || Number.isNaN(d.getTime())) {
    throw new EcsError("ValidationException", `--${flag}: an ISO 8601 time is required.`);
  }
  return d;
};

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      input: { type: "string" },
      replay: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || (values.input === undefined) === (values.replay === undefined)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  let output: unknown;
  if (values.input !== undefined) {
    output = await simulate(readJson(values.input));
  } else {
    const json = readJson(values.replay!);
    const range = { start: time("start", values.start), end: time("end", values.end, new Date()) };
    const config = loadConfig(CommonConfig);
    const db = createDb(config.DATABASE_URL, { max: 2, applicationName: "flotilla-simulate" });
    try {
      output = await replay(json, db, range);
    } finally {
      await db.destroy();
    }
  }
  const text = `${JSON.stringify(output, null, 2)}\n`;
  if (values.out === undefined) process.stdout.write(text);
  else writeFileSync(values.out, text);
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof EcsError) {
      console.error(`${err.type}: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
