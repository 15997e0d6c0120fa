import type { Action } from "../../protocol/action.js";
import { ALARM_ACTIONS } from "./alarmActions.js";
import { METRIC_ACTIONS } from "./metricActions.js";

/**
 * The CloudWatch actions Flotilla answers, by name. The same actions serve
 * both wire protocols: AWS JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Action>`) and the query protocol
 * (`Action=<Action>&Version=2010-08-01`).
 */
export const CLOUDWATCH_ACTIONS: ReadonlyMap<string, Action> = new Map(
  [...METRIC_ACTIONS, ...ALARM_ACTIONS].map((a) => [a.name, a]),
);

export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801";
