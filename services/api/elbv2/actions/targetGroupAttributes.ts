import { elbv2Error } from "../../../../shared/domain/elbv2.js";
import type { TargetGroupRow } from "../read/targetGroupQueries.js";

/** The attributes ELBv2 reports for an HTTP instance target group; only the delay is ours. */
export const targetGroupAttributes = (row: TargetGroupRow) => [
  { Key: "deregistration_delay.timeout_seconds", Value: String(row.deregistration_delay_seconds) },
  { Key: "stickiness.enabled", Value: "false" },
  { Key: "stickiness.type", Value: "lb_cookie" },
  { Key: "load_balancing.algorithm.type", Value: "round_robin" },
  { Key: "slow_start.duration_seconds", Value: "0" },
];

export const targetGroupNotFound = (arn: string) =>
  elbv2Error("TargetGroupNotFound", `Target groups '${arn}' not found`);
