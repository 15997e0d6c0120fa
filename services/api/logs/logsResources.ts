import type { ArnContext } from "../../../shared/domain/arn.js";
import { logGroupArn, logGroupNameOf } from "../../../shared/logs/index.js";

type ResourcesOf = (input: Record<string, unknown>, arn: ArnContext) => readonly string[];

const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

const groupName = (input: Record<string, unknown>): string | undefined => {
  const id = str(input.logGroupName) ?? str(input.logGroupIdentifier);
  return id === undefined ? undefined : logGroupNameOf(id);
};

/** A group's actions are on `arn:aws:logs:<region>:<account>:log-group:<name>:*`, as in IAM. */
const logGroup: ResourcesOf = (input, arn) => {
  const name = groupName(input);
  return name === undefined ? ["*"] : [`${logGroupArn(arn.region, arn.accountId, name)}:*`];
};

/** A stream's: `…:log-group:<name>:log-stream:<stream>`. */
const logStream: ResourcesOf = (input, arn) => {
  const name = groupName(input);
  const stream = str(input.logStreamName);
  if (name === undefined) return ["*"];
  return [`${logGroupArn(arn.region, arn.accountId, name)}:log-stream:${stream ?? "*"}`];
};

/** The resources of the CloudWatch Logs actions (the others, DescribeLogGroups, are on `*`). */
export const LOGS_ACTION_RESOURCES: readonly (readonly [string, ResourcesOf])[] = [
  ["logs:CreateLogGroup", logGroup],
  ["logs:DeleteLogGroup", logGroup],
  ["logs:PutRetentionPolicy", logGroup],
  ["logs:DeleteRetentionPolicy", logGroup],
  ["logs:CreateLogStream", logGroup],
  ["logs:DescribeLogStreams", logGroup],
  ["logs:FilterLogEvents", logGroup],
  ["logs:GetLogEvents", logStream],
  ["logs:PutLogEvents", logStream],
];
