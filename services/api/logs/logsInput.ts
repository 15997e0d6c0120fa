import { z } from "zod";
import {
  logGroupNameOf,
  logsInvalidParameter,
  validateLogGroupName,
  validateLogStreamName,
} from "../../../shared/logs/index.js";

/** CloudWatch Logs' JSON inputs: names as strings, times as integers of milliseconds. */
export const millis = z.number().int().min(0);
export const pageLimit = (most: number) => z.number().int().min(1).max(most);

/** The group an input names, by `logGroupName` or `logGroupIdentifier` (a name or an ARN). */
export const groupOf = (input: { logGroupName?: string; logGroupIdentifier?: string }): string => {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw logsInvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
  }
  if (input.logGroupName !== undefined) return validateLogGroupName(input.logGroupName);
  if (input.logGroupIdentifier !== undefined) {
    return validateLogGroupName(logGroupNameOf(input.logGroupIdentifier), "logGroupIdentifier");
  }
  throw logsInvalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
};

export const streamOf = (name: string): string => validateLogStreamName(name);

/** The describe actions' nextToken: the last key of the previous page. */
export const encodeNameToken = (key: readonly (string | number)[]): string =>
  Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

export const decodeNameToken = (token: string): (string | number)[] => {
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.every((k) => typeof k === "string" || typeof k === "number")) {
      return key;
    }
  } catch {
    // falls through
  }
  throw logsInvalidParameter("The specified nextToken is not valid.");
};
