import { CliError } from "./command.js";

const RELATIVE = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time given on the command line: ISO 8601 (`2026-11-26T20:00:00Z`), epoch
 * seconds, or an age (`30m`, `2h`, `7d` ago), as epoch seconds for the api.
 */
export const parseCliTime = (flag: string, value: string, now = Date.now()): number => {
  const rel = RELATIVE.exec(value);
  if (rel) return (now - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS]) / 1000;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--${flag}: '${value}' is not a time (ISO 8601, epoch seconds, or an age like 30m, 2h, 7d)`,
      2,
    );
  }
  return ms / 1000;
};
