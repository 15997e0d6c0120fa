import type { Action } from "../../protocol/action.js";
import { createLogGroup } from "./createLogGroup.js";
import { createLogStream } from "./createLogStream.js";
import { deleteLogGroup } from "./deleteLogGroup.js";
import { deleteRetentionPolicy } from "./deleteRetentionPolicy.js";
import { describeLogGroups } from "./describeLogGroups.js";
import { describeLogStreams } from "./describeLogStreams.js";
import { filterLogEvents } from "./filterLogEvents.js";
import { getLogEvents } from "./getLogEvents.js";
import { putLogEvents } from "./putLogEvents.js";
import { putRetentionPolicy } from "./putRetentionPolicy.js";

/** The CloudWatch Logs actions Flotilla answers (AWS JSON 1.1, `Logs_20140328.<Action>`). */
export const LOGS_ACTIONS: ReadonlyMap<string, Action> = new Map(
  [
    createLogGroup,
    deleteLogGroup,
    describeLogGroups,
    putRetentionPolicy,
    deleteRetentionPolicy,
    createLogStream,
    describeLogStreams,
    putLogEvents,
    getLogEvents,
    filterLogEvents,
  ].map((a) => [a.name, a as Action]),
);

export const LOGS_TARGET_PREFIX = "Logs_20140328";
