import { apiClient, endpointFrom, type ApiClient } from "./apiClient.js";
import { CliError, type CliIo, type CliOptions } from "./command.js";

/** `--endpoint-url URL`, as the AWS CLI spells it (default FLOTILLA_ENDPOINT or 127.0.0.1:8080). */
export const ENDPOINT_OPTION: CliOptions = { "endpoint-url": { type: "string" } };

/** `--cluster NAME` (default `default`). */
export const CLUSTER_OPTION: CliOptions = { cluster: { type: "string" } };

export const clusterFrom = (values: Record<string, unknown>): string =>
  typeof values.cluster === "string" && values.cluster !== "" ? values.cluster : "default";

export const apiFrom = (values: Record<string, unknown>, io: CliIo): ApiClient =>
  apiClient(endpointFrom(values["endpoint-url"], io.env), io.env);

/** A non-negative (or, with min 1, positive) integer flag, or undefined when not given. */
export const intFlag = (flag: string, value: unknown, min = 1): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new CliError(`--${flag}: give a number`, 2);
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < min) {
    throw new CliError(
      `--${flag}: give ${min === 0 ? "a whole number" : "a positive integer"}, not '${String(value)}'`,
      2,
    );
  }
  return n;
};

/** A duration flag: `90`, `90s`, `5m`, `1h`, in seconds. */
export const durationFlag = (flag: string, value: unknown): number | undefined => {
  if (value === undefined) return undefined;
  const text = typeof value === "string" ? value : "";
  const m = /^(\d+)([smh]?)$/.exec(text);
  if (!m || Number(m[1]) < 1) {
    throw new CliError(`--${flag}: give a duration like 90s, 10m or 1h, not '${text}'`, 2);
  }
  return Number(m[1]) * ({ "": 1, s: 1, m: 60, h: 3600 } as const)[m[2] as "" | "s" | "m" | "h"];
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
