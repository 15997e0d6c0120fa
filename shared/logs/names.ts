import { LOG_LIMITS } from "./limits.js";
import { logsInvalidParameter } from "./logsErrors.js";

/** Log group names: 1–512 of `[.-_/#A-Za-z0-9]`. */
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;

export const validateLogGroupName = (name: string, field = "logGroupName"): string => {
  if (name.length < 1 || name.length > LOG_LIMITS.nameLength || !GROUP_NAME.test(name)) {
    throw logsInvalidParameter(
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and have length between 1 and 512`,
    );
  }
  return name;
};

/** Log stream names: 1–512 characters, no `:` and no `*`. */
export const validateLogStreamName = (name: string, field = "logStreamName"): string => {
  if (name.length < 1 || name.length > LOG_LIMITS.nameLength || /[:*]/.test(name)) {
    throw logsInvalidParameter(
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]* and have length between 1 and 512`,
    );
  }
  return name;
};

/**
 * The stream ECS's awslogs driver writes a task's container to:
 * `<awslogs-stream-prefix>/<container name>/<task id>`; without a prefix, the
 * container engine's id of the container.
 */
export const awslogsStreamName = (
  streamPrefix: string | undefined,
  containerName: string,
  taskId: string,
  runtimeContainerId: string,
): string => (streamPrefix ? `${streamPrefix}/${containerName}/${taskId}` : runtimeContainerId);

/** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups' `logGroupArn`). */
export const logGroupArn = (region: string, accountId: string, group: string): string =>
  `arn:aws:logs:${region}:${accountId}:log-group:${group}`;

/** `logGroupIdentifier`: a name, or a group ARN (with or without the trailing `:*`). */
export const logGroupNameOf = (identifier: string): string => {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier);
  return match ? match[1]! : identifier;
};
