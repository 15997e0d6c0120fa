import { awslogsStreamName } from "../../shared/logs/names.js";
import { lastSegment } from "../ecsShapes.js";

/** The container definitions' parts the log streams follow from. */
export interface LoggedDefinition {
  readonly containerDefinitions: readonly {
    readonly name: string;
    readonly logConfiguration?: {
      readonly logDriver: string;
      readonly options?: Readonly<Record<string, string>>;
    };
  }[];
}

export interface LoggedTask {
  readonly taskArn: string;
  readonly containers?: readonly { readonly name: string; readonly runtimeId?: string }[];
}

/** Where one container of one task logs to. */
export interface LogStreamRef {
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly container: string;
  readonly taskId: string;
}

/**
 * The CloudWatch Logs streams of a task's containers that use the awslogs
 * driver: group `awslogs-group`, stream `<awslogs-stream-prefix>/<container>/<task id>`
 * (without a prefix, the container's runtime id, once it has one).
 */
export const logStreamsOf = (
  definition: LoggedDefinition,
  task: LoggedTask,
  container?: string,
): LogStreamRef[] => {
  const taskId = lastSegment(task.taskArn);
  return definition.containerDefinitions.flatMap((c) => {
    const log = c.logConfiguration;
    const group = log?.options?.["awslogs-group"];
    if (log?.logDriver !== "awslogs" || !group) return [];
    if (container !== undefined && c.name !== container) return [];
    const prefix = log.options?.["awslogs-stream-prefix"];
    const runtimeId = task.containers?.find((tc) => tc.name === c.name)?.runtimeId;
    if (!prefix && !runtimeId) return [];
    return [
      {
        logGroupName: group,
        logStreamName: awslogsStreamName(prefix, c.name, taskId, runtimeId ?? ""),
        container: c.name,
        taskId,
      },
    ];
  });
};

/** Streams grouped by log group, at most `max` stream names per request. */
export const streamRequests = (
  streams: readonly LogStreamRef[],
  max = 100,
): { logGroupName: string; logStreamNames: string[] }[] => {
  const byGroup = new Map<string, string[]>();
  for (const s of streams) {
    const names = byGroup.get(s.logGroupName) ?? [];
    if (!names.includes(s.logStreamName)) names.push(s.logStreamName);
    byGroup.set(s.logGroupName, names);
  }
  return [...byGroup].flatMap(([logGroupName, names]) =>
    Array.from({ length: Math.ceil(names.length / max) }, (_, i) => ({
      logGroupName,
      logStreamNames: names.slice(i * max, i * max + max),
    })),
  );
};
